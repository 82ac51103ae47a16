// POST /v1/sessions: a live user's email and password (or HTTP Basic, when declared)
// open a session as that user; every failure reads the same, so the answer never tells
// an attacker which emails exist or which accounts are inactive.
import { describe, expect, it } from 'vitest'
import { api, decodeJwt, expectProblem, given, requireFeature, target, type ApiResponse } from '../harness/index.ts'

function signIn(email: string, password: string): Promise<ApiResponse<any>> {
  return api.anonymous.post('/v1/sessions', { email, password })
}

const strangerPassword = (): string => target.faker.internet.password({ length: 20 })

/** Ways to fail, each returning the email and password to try. */
const failures: Array<[string, () => Promise<{ email: string; password: string }>]> = [
  ['a wrong password', async () => ({ email: (await given.user()).email, password: strangerPassword() })],
  ['the password of another user', async () => ({ email: (await given.user()).email, password: (await given.user()).password })],
  ['an unknown email', async () => ({ email: `nobody-${target.faker.string.alphanumeric(12)}@example.test`, password: strangerPassword() })],
  ['an inactive user with the right password', async () => given.user({ active: false })],
  ['a deleted user with the right password', async () => {
    const user = await given.user()
    expect((await api.admin.delete('/v1/users/{id}', { params: { id: user.id } })).status).toBe(204)
    return user
  }],
]

describe('SESS-001 users sign in with email and password', () => {
  it('SESS-001 a live user\'s email and password answer 201 with tokens whose sub is the user id', async () => {
    const user = await given.user()
    const response = await signIn(user.email, user.password)
    expect(response.status).toBe(201)
    const tokens = response.body
    expect(tokens.token_type).toBe('Bearer')
    const claims = decodeJwt(tokens.access_token).payload
    expect(claims.sub).toBe(user.id)
    expect(claims.sid).toBe(tokens.session_id)
    const listed = await api.as({ bearer: tokens.access_token }).get('/v1/sessions')
    expect(listed.status).toBe(200)
    expect(listed.body.items).toEqual([expect.objectContaining({ id: tokens.session_id, subject: { type: 'user', id: user.id }, current: true })])
  })

  it('SESS-001 AUTH-002 every sign-in opens a new session', async () => {
    const user = await given.user()
    const first = await given.signIn(user)
    const second = await given.signIn(user)
    expect(second.session_id).not.toBe(first.session_id)
    const listed = await api.as({ bearer: second.access_token }).get('/v1/sessions')
    expect(listed.body.items.map((session) => session.id).sort()).toEqual([first.session_id, second.session_id].sort())
  })
})

describe('SESS-002 wrong passwords, unknown emails and inactive users are rejected', () => {
  it.each(failures)('SESS-002 %s is answered 401 invalid_credentials', async (_case, credentials) => {
    const { email, password } = await credentials()
    expectProblem(await signIn(email, password), 401, 'invalid_credentials')
  })

  it('SESS-002 the answers do not tell the cases apart', async () => {
    const answers = []
    for (const [, credentials] of failures) {
      const { email, password } = await credentials()
      const response = await signIn(email, password)
      const { type, title, status, detail, code } = expectProblem(response, 401, 'invalid_credentials')
      answers.push({ type, title, status, detail, code, challenge: response.headers['www-authenticate'] })
    }
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0])
  })
})

describe('SESS-003 HTTP Basic sign-in', () => {
  it('SESS-003 Authorization: Basic with no body signs the user in', async () => {
    requireFeature('basic_signin')
    const user = await given.user()
    const response = await api.as({ basic: user }).post('/v1/sessions')
    expect(response.status).toBe(201)
    expect(decodeJwt(response.body.access_token).payload.sub).toBe(user.id)
    expect((await api.as({ bearer: response.body.access_token }).get('/v1/sessions')).status).toBe(200)
  })

  it('SESS-003 a password with a colon is split at the first colon only', async () => {
    requireFeature('basic_signin')
    const user = await given.user({ password: `pa:ss:${target.faker.string.alphanumeric(12)}` })
    const response = await api.as({ basic: user }).post('/v1/sessions')
    expect(response.status).toBe(201)
    expect(decodeJwt(response.body.access_token).payload.sub).toBe(user.id)
  })

  it.each(failures)('SESS-003 SESS-002 over Basic, %s is answered 401 invalid_credentials', async (_case, credentials) => {
    requireFeature('basic_signin')
    expectProblem(await api.as({ basic: await credentials() }).post('/v1/sessions'), 401, 'invalid_credentials')
  })
})
