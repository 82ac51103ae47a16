// /v1/users as the sessions see it: deactivation and deletion end every session of the
// user at once (and reactivation revives none), emails are unique regardless of case,
// a password change applies at once, and no answer ever carries a password.
import { describe, expect, it } from 'vitest'
import {
  api,
  expectAccessAccepted,
  expectAccessRejected,
  expectProblem,
  expectRefreshRejected,
  given,
  onCleanup,
  target,
  type ApiResponse,
  type GivenUser,
  type TokenResponse,
} from '../harness/index.ts'

function signIn(user: { email: string; password: string }) {
  return api.anonymous.post('/v1/sessions', { email: user.email, password: user.password })
}

function patchUser(id: string, body: { email?: string; password?: string; active?: boolean; namespaces?: string[] }) {
  return api.admin.patch('/v1/users/{id}', body, { params: { id } })
}

async function expectSessionsDead(sessions: TokenResponse[]): Promise<void> {
  for (const tokens of sessions) {
    await expectAccessRejected(tokens.access_token, 'token_revoked')
    await expectRefreshRejected(tokens.refresh_token, 'token_revoked')
  }
}

describe('SESS-007 deactivating a user ends all their sessions', () => {
  it('SESS-007 active: false revokes every session of the user at once and blocks sign-in', async () => {
    const user = await given.user()
    const sessions = [await given.signIn(user), await given.signIn(user)]
    const bystander = await given.signIn(await given.user())
    const response = await patchUser(user.id, { active: false })
    expect(response.status).toBe(200)
    expect(response.body.active).toBe(false)
    await expectSessionsDead(sessions)
    expectProblem(await signIn(user), 401, 'invalid_credentials')
    await expectAccessAccepted(bystander.access_token)
  })

  it('SESS-007 reactivation lets the user sign in again but revives no old session', async () => {
    const user = await given.user()
    const old = await given.signIn(user)
    expect((await patchUser(user.id, { active: false })).status).toBe(200)
    const reactivated = await patchUser(user.id, { active: true })
    expect(reactivated.status).toBe(200)
    expect(reactivated.body.active).toBe(true)
    await expectSessionsDead([old])
    const fresh = await given.signIn(user)
    await expectAccessAccepted(fresh.access_token)
    const listed = await api.as({ bearer: fresh.access_token }).get('/v1/sessions')
    expect(listed.body.items.map((session) => session.id)).toEqual([fresh.session_id])
  })
})

describe('SESS-008 deleting a user ends all their sessions', () => {
  it('SESS-008 DELETE answers 204, revokes every session, and the user is 404 afterwards', async () => {
    const user = await given.user()
    const sessions = [await given.signIn(user), await given.signIn(user)]
    expect((await api.admin.delete('/v1/users/{id}', { params: { id: user.id } })).status).toBe(204)
    await expectSessionsDead(sessions)
    expectProblem(await api.admin.get('/v1/users/{id}', { params: { id: user.id } }), 404, 'not_found')
    expectProblem(await api.admin.delete('/v1/users/{id}', { params: { id: user.id } }), 404, 'not_found')
    expectProblem(await signIn(user), 401, 'invalid_credentials')
    const listed = await api.admin.get('/v1/users')
    expect(listed.body.items.map((listedUser) => listedUser.id)).not.toContain(user.id)
  })
})

describe('SESS-009 passwords are never returned', () => {
  /** No property that names a password or a hash, and not the password itself anywhere. */
  function expectNoPassword(response: ApiResponse<unknown>, password: string): void {
    expect(response.status).toBeLessThan(300)
    expect(response.text).not.toContain(password)
    expect(response.text).not.toMatch(/"[^"]*(password|passwd|hash|salt)[^"]*"\s*:/i)
  }

  const answersAboutAUser: Array<[string, (user: GivenUser) => Promise<ApiResponse<unknown>>]> = [
    ['GET /v1/users/{id}', (user) => api.admin.get('/v1/users/{id}', { params: { id: user.id } })],
    ['GET /v1/users', () => api.admin.get('/v1/users')],
    ['PATCH /v1/users/{id}', (user) => patchUser(user.id, { namespaces: ['nopw'] })],
    ['POST /v1/sessions', (user) => signIn(user)],
  ]

  it.each(answersAboutAUser)('SESS-009 %s answers without the password or any hash of it', async (_case, call) => {
    const user = await given.user()
    expectNoPassword(await call(user), user.password)
  })

  it('SESS-009 POST /v1/users and a password change answer without the password', async () => {
    const password = target.faker.internet.password({ length: 18 })
    const email = `ac-${target.runId}-${target.faker.string.alphanumeric(12).toLowerCase()}@example.test`
    const created = await api.admin.post('/v1/users', { email, password, active: true })
    expect(created.status).toBe(201)
    onCleanup(() => api.admin.delete('/v1/users/{id}', { params: { id: created.body.id } }))
    expectNoPassword(created, password)
    const changed = target.faker.internet.password({ length: 18 })
    expectNoPassword(await patchUser(created.body.id, { password: changed }), changed)
  })
})

describe('SESS-010 user emails are unique', () => {
  const variants: Array<[string, (email: string) => string]> = [
    ['the same email', (email) => email],
    ['the email in upper case', (email) => email.toUpperCase()],
    ['the email with a capitalised domain', (email) => email.replace(/@.*/, (domain) => domain.toUpperCase())],
  ]

  it.each(variants)('SESS-010 creating a user with %s of another user is 409 conflict', async (_case, variant) => {
    const taken = await given.user()
    const response = await api.admin.post('/v1/users', { email: variant(taken.email), password: target.faker.internet.password({ length: 16 }), active: true })
    if (response.status === 201) onCleanup(() => api.admin.delete('/v1/users/{id}', { params: { id: response.body.id } }))
    expectProblem(response, 409, 'conflict')
  })

  it.each(variants)('SESS-010 changing a user\'s email to %s of another user is 409 and changes nothing', async (_case, variant) => {
    const [taken, other] = [await given.user(), await given.user()]
    expectProblem(await patchUser(other.id, { email: variant(taken.email) }), 409, 'conflict')
    const unchanged = await api.admin.get('/v1/users/{id}', { params: { id: other.id } })
    expect(unchanged.body.email).toBe(other.email)
    expect((await signIn(other)).status).toBe(201)
  })
})

describe('SESS-011 a password change takes effect at once', () => {
  it('SESS-011 after PATCH with a new password the old one is 401 and the new one signs in', async () => {
    const user = await given.user()
    const password = target.faker.internet.password({ length: 20 })
    expect((await patchUser(user.id, { password })).status).toBe(200)
    expectProblem(await signIn(user), 401, 'invalid_credentials')
    const response = await signIn({ email: user.email, password })
    expect(response.status).toBe(201)
  })
})
