// POST /v1/auth/token: a live key and its secret become a session; anything else is
// refused, malformed ids as bad requests, bad credentials without saying which part was bad.
import { describe, expect, it } from 'vitest'
import { api, decodeJwt, expectAccessAccepted, expectProblem, given, target, type ApiResponse } from '../harness/index.ts'

function exchange(apiKey: string, apiSecret: string): Promise<ApiResponse<any>> {
  return api.anonymous.post('/v1/auth/token', { api_key: apiKey, api_secret: apiSecret })
}

describe('AUTH-001 a valid API key and secret are exchanged for tokens', () => {
  it('AUTH-001 the exchange answers 200 with a Bearer token response whose access token is accepted', async () => {
    const key = await given.key()
    const response = await exchange(key.id, key.secret)
    expect(response.status).toBe(200)
    const tokens = response.body
    expect(tokens.token_type).toBe('Bearer')
    expect(tokens.expires_in).toBeGreaterThan(0)
    expect(tokens.refresh_expires_in).toBeGreaterThan(0)
    expect(tokens.refresh_token).not.toBe(tokens.access_token)
    expect(decodeJwt(tokens.access_token).payload.sub).toBe(key.id)
    await expectAccessAccepted(tokens.access_token)
  })
})

describe('AUTH-002 every exchange opens a new session', () => {
  it('AUTH-002 three exchanges open three distinct sessions, each the sid of its access token and each listed', async () => {
    const key = await given.key()
    const sessions = [await given.session(key), await given.session(key), await given.session(key)]
    const ids = sessions.map((tokens) => tokens.session_id)
    expect(new Set(ids).size).toBe(3)
    for (const tokens of sessions) expect(decodeJwt(tokens.access_token).payload.sid).toBe(tokens.session_id)
    const listed = await api.as({ bearer: sessions[0]!.access_token }).get('/v1/sessions')
    expect(listed.status).toBe(200)
    expect(listed.body.items.map((session) => session.id).sort()).toEqual([...ids].sort())
  })
})

describe('AUTH-010 malformed key ids are 400', () => {
  // Each breaks ^key_[A-Za-z0-9]{16,}$ in one way; none may be looked up as a credential.
  it.each([
    ['an empty id', ''],
    ['no key_ prefix', 'Adm1nK3yF1xtur3s0000001x'],
    ['an upper-case prefix', 'KEY_Adm1nK3yF1xtur3s00001'],
    ['15 characters after the prefix', 'key_Adm1nK3yF1xtur3'],
    ['a dash in the id', 'key_Adm1nK3y-F1xtur3s00001'],
    ['a leading space', ' key_Adm1nK3yF1xtur3s00001'],
    ['a trailing newline', 'key_Adm1nK3yF1xtur3s00001\n'],
    ['non-ASCII letters', 'key_Ädm1nK3yF1xtur3s00001'],
  ])('AUTH-010 %s is answered 400 invalid_request, not 401', async (_case, apiKey) => {
    expectProblem(await exchange(apiKey, 'sk_whatever-the-secret-is'), 400, 'invalid_request')
  })

  it('AUTH-010 a malformed id with a live key secret is still 400', async () => {
    const key = await given.key()
    expectProblem(await exchange(key.id.replace(/^key_/, 'kee_'), key.secret), 400, 'invalid_request')
  })
})

describe('AUTH-011 bad credentials are 401 invalid_credentials', () => {
  const unknownId = (): string => `key_${target.faker.string.alphanumeric(24)}`
  const cases: Array<[string, () => Promise<{ id: string; secret: string }>]> = [
    ['a well-formed but unknown key', async () => ({ id: unknownId(), secret: `sk_${target.faker.string.alphanumeric(40)}` })],
    ['a wrong secret', async () => ({ ...(await given.key()), secret: `sk_${target.faker.string.alphanumeric(40)}` })],
    ['a secret of another key', async () => ({ id: (await given.key()).id, secret: (await given.key()).secret })],
    ['the secret with one character changed', async () => {
      const key = await given.key()
      const last = key.secret.at(-1) === 'A' ? 'B' : 'A'
      return { id: key.id, secret: key.secret.slice(0, -1) + last }
    }],
    ['a revoked key', async () => {
      const key = await given.key()
      expect((await api.admin.delete('/v1/keys/{id}', { params: { id: key.id } })).status).toBe(204)
      return key
    }],
  ]

  it.each(cases)('AUTH-011 %s is answered 401 invalid_credentials', async (_case, credentials) => {
    const { id, secret } = await credentials()
    expectProblem(await exchange(id, secret), 401, 'invalid_credentials')
  })

  it('AUTH-011 the answers do not tell the cases apart', async () => {
    const answers = []
    for (const [, credentials] of cases) {
      const { id, secret } = await credentials()
      const response = await exchange(id, secret)
      const { type, title, status, detail, code } = expectProblem(response, 401, 'invalid_credentials')
      answers.push({ type, title, status, detail, code, challenge: response.headers['www-authenticate'] })
    }
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0])
  })
})
