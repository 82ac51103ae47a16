// Missing or malformed credentials are 401 with a Bearer challenge (ERR-005), every 401
// carries WWW-Authenticate whatever its code (ERR-007), and a valid credential without the
// permission is 403, never 401 (ERR-008).
import { describe, expect, it } from 'vitest'
import { api, expectProblem, given, notApplicable, raw, target } from '../harness/index.ts'

/** Protected operations of every area, all reachable by an authenticated caller's token. */
const PROTECTED: [string, string][] = [
  ['GET', '/v1/sessions'],
  ['GET', '/v1/permissions/me'],
  ['GET', '/v1/keys'],
  ['GET', '/v1/policies'],
  ['GET', '/v1/datasets/orders/records'],
]

const MALFORMED_AUTHORIZATION: [string, string | undefined][] = [
  ['no Authorization header', undefined],
  ['an unknown scheme', 'Token abcdef'],
  ['Bearer without a token', 'Bearer'],
  ['Bearer with an empty token', 'Bearer '],
  ['a token that is not a JWT', 'Bearer not-a-jwt'],
  ['three segments that are not base64url JSON', 'Bearer a.b.c'],
  ['a JWT-shaped token with a garbage signature', 'Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln'],
  ['Basic credentials on a bearer-protected operation', `Basic ${Buffer.from('user@example.test:password').toString('base64')}`],
]

describe('ERR-005 missing or malformed credentials are 401 invalid_token with WWW-Authenticate', () => {
  describe.each(PROTECTED)('%s %s', (method, path) => {
    it.each(MALFORMED_AUTHORIZATION)('ERR-005 ERR-007 %s is 401 invalid_token', async (_, authorization) => {
      const headers: Record<string, string> = { accept: 'application/json' }
      if (authorization !== undefined) headers.authorization = authorization
      expectProblem(await raw({ method, path, headers }), 401, 'invalid_token')
    })
  })

  it('ERR-005 the ApiKey scheme is 401 on a target that does not list apikey_scheme', async () => {
    if (target.features.has('apikey_scheme')) notApplicable('the target supports the ApiKey scheme (feature apikey_scheme)')
    const key = await given.key()
    const response = await raw({ method: 'GET', path: '/v1/sessions', as: { apiKey: { id: key.id, secret: key.secret } } })
    expectProblem(response, 401, 'invalid_token')
  })
})

describe('ERR-007 every 401 carries WWW-Authenticate, whatever its code', () => {
  it('ERR-007 a wrong API secret (invalid_credentials) carries the Bearer challenge', async () => {
    const key = await given.key()
    const response = await api.anonymous.post('/v1/auth/token', { api_key: key.id, api_secret: `${key.secret}x` })
    expectProblem(response, 401, 'invalid_credentials')
  })

  it('ERR-007 a wrong password (invalid_credentials) carries the Bearer challenge', async () => {
    const user = await given.user()
    const response = await api.anonymous.post('/v1/sessions', { email: user.email, password: `${user.password}x` })
    expectProblem(response, 401, 'invalid_credentials')
  })

  it('ERR-007 an unknown refresh token carries the Bearer challenge', async () => {
    const response = await api.anonymous.post('/v1/auth/refresh', { refresh_token: `rt_${'A'.repeat(43)}` })
    expect(response.status).toBe(401)
    expect(response.headers['www-authenticate'] ?? '').toMatch(/^Bearer .*error="invalid_token"/)
  })

  it('ERR-007 a revoked access token (token_revoked) carries the Bearer challenge', async () => {
    // The very token revoked, obtained in the case (never renewed: revocation is its point).
    const tokens = await given.session(await given.key())
    const bearer = { bearer: tokens.access_token }
    expect((await api.as(bearer).get('/v1/sessions')).status, 'the token works before revocation').toBe(200)
    expect((await api.anonymous.post('/v1/auth/revoke', { token: tokens.access_token })).status).toBe(200)
    expectProblem(await api.as(bearer).get('/v1/sessions'), 401, 'token_revoked')
  })
})

describe('ERR-008 a valid credential without the permission is 403, not 401', () => {
  it.each([
    ['GET /v1/keys', 'get', '/v1/keys'],
    ['GET /v1/users', 'get', '/v1/users'],
    ['GET /v1/policies', 'get', '/v1/policies'],
    ['GET /v1/datasets', 'get', '/v1/datasets'],
  ] as const)('ERR-008 a client key calling %s is 403 forbidden', async (_, method, path) => {
    const response = await api.as(await given.bearer(await given.key())).send({ method, path })
    // A challenge on the 403 is neither required nor forbidden (RFC 6750 §3.1 insufficient_scope).
    expectProblem(response, 403, 'forbidden')
  })

  it('ERR-008 a signed-in user calling an admin operation is 403 forbidden', async () => {
    expectProblem(await api.as(await given.bearer(await given.user())).get('/v1/keys'), 403, 'forbidden')
  })

  it('ERR-008 PERM-010 a client key reading a dataset no policy grants is 403 forbidden', async () => {
    const dataset = await given.dataset()
    const response = await api.as(await given.bearer(await given.key())).get('/v1/datasets/{name}/records', { params: { name: dataset } })
    expectProblem(response, 403, 'forbidden')
  })
})
