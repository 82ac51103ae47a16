// Discovery, tokens and sessions over real sockets: each operation's happy path and its
// main errors.
import { createLocalJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectProblem, FIXTURE_CLIENT_KEY, FIXTURE_USERS, startTestMock, type TestMock } from './test-support.ts'

let mock: TestMock
const { alice, dave } = FIXTURE_USERS
const exchange = (apiKey = mock.adminKey, apiSecret = mock.adminSecret) =>
  mock.call('POST', '/v1/auth/token', { body: { api_key: apiKey, api_secret: apiSecret } })

beforeAll(async () => {
  mock = await startTestMock({ accessTtl: 900, refreshTtl: 7200 })
})
afterAll(() => mock?.close())

describe('discovery', () => {
  it('getAuthConfiguration declares the configured lifetimes, limits and features', async () => {
    const { status, body } = await mock.call('GET', '/.well-known/auth-configuration')
    expect(status).toBe(200)
    expect(body).toMatchObject({
      issuer: mock.url,
      jwks_uri: `${mock.url}/.well-known/jwks.json`,
      access_token_ttl: 900,
      refresh_token_ttl: 7200,
      features: ['apikey_scheme', 'basic_signin'],
    })
    expect(body.rate_limits).toContainEqual({ scope: 'signin_failures', per: 'account', limit: 5, window_seconds: 300 })
  })

  it('getJwks publishes the key that verifies access tokens', async () => {
    const jwks = (await mock.call('GET', '/.well-known/jwks.json')).body
    const tokens = (await exchange()).body
    const { payload } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks), { issuer: mock.url })
    expect(payload).toMatchObject({ sub: mock.adminKey, sid: tokens.session_id })
    expect(payload.exp! - payload.iat!).toBe(900)
  })
})

describe('exchangeToken', () => {
  it('answers tokens, uncacheable, with the rate-limit state', async () => {
    const reply = await exchange(FIXTURE_CLIENT_KEY.id, FIXTURE_CLIENT_KEY.secret)
    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, refresh_expires_in: 7200 })
    expect(reply.body.refresh_token).toMatch(/^rt_/)
    expect(reply.headers['cache-control']).toBe('no-store')
    expect(reply.headers['ratelimit-limit']).toBeDefined()
  })

  it('a well-formed unknown key is 401 invalid_credentials', async () => {
    expectProblem(await exchange('key_unknownUnknown000000', mock.adminSecret), 401, 'invalid_credentials')
  })
})

describe('refreshToken', () => {
  it('rotates both tokens in the same session; the used one is dead', async () => {
    const first = (await exchange()).body
    const second = await mock.call('POST', '/v1/auth/refresh', { body: { refresh_token: first.refresh_token } })
    expect(second.status).toBe(200)
    expect(second.headers['cache-control']).toBe('no-store')
    expect(second.body.session_id).toBe(first.session_id)
    expect(second.body.refresh_token).not.toBe(first.refresh_token)
    const reuse = await mock.call('POST', '/v1/auth/refresh', { body: { refresh_token: first.refresh_token } })
    expectProblem(reuse, 401, 'token_revoked')
  })

  it('an unknown refresh token is 401 invalid_token', async () => {
    const reply = await mock.call('POST', '/v1/auth/refresh', { body: { refresh_token: `rt_${'A'.repeat(43)}` } })
    expectProblem(reply, 401, 'invalid_token')
  })
})

describe('revokeToken', () => {
  it('ends the session of an access token and answers 200 {}', async () => {
    const tokens = (await exchange()).body
    const reply = await mock.call('POST', '/v1/auth/revoke', { body: { token: tokens.access_token } })
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({})
    expectProblem(await mock.call('GET', '/v1/sessions', { token: tokens.access_token }), 401, 'token_revoked')
  })

  it('answers 200 for a token it does not know (RFC 7009)', async () => {
    expect((await mock.call('POST', '/v1/auth/revoke', { body: { token: 'garbage' } })).status).toBe(200)
  })
})

describe('signIn', () => {
  it('signs a user in with a JSON body', async () => {
    const reply = await mock.call('POST', '/v1/sessions', { body: { email: alice.email, password: alice.password } })
    expect(reply.status).toBe(201)
    expect(reply.headers['cache-control']).toBe('no-store')
    const me = await mock.call('GET', '/v1/permissions/me', { token: reply.body.access_token })
    expect(me.body.subject).toEqual({ type: 'user', id: alice.id })
  })

  it('signs a user in with HTTP Basic and no body', async () => {
    const basic = Buffer.from(`${alice.email}:${alice.password}`).toString('base64')
    const reply = await mock.call('POST', '/v1/sessions', { headers: { authorization: `Basic ${basic}` } })
    expect(reply.status).toBe(201)
  })

  it.each([
    ['a wrong password', { email: alice.email, password: 'not-her-password' }],
    ['an unknown email', { email: 'nobody@example.test', password: 'whatever-password' }],
    ['an inactive user', { email: dave.email, password: dave.password }],
  ])('%s is 401 invalid_credentials', async (_case, body) => {
    expectProblem(await mock.call('POST', '/v1/sessions', { body }), 401, 'invalid_credentials')
  })

  it('neither body nor Basic credentials is 400', async () => {
    expectProblem(await mock.call('POST', '/v1/sessions'), 400, 'invalid_request')
  })
})

describe('listSessions and deleteSession', () => {
  it('lists the caller\'s sessions with the current one marked', async () => {
    const token = await mock.signIn(alice.email, alice.password)
    const { status, body } = await mock.call('GET', '/v1/sessions', { token })
    expect(status).toBe(200)
    expect(body.items.filter((session: { current: boolean }) => session.current)).toHaveLength(1)
    expect(body.items.every((session: { subject: { id: string } }) => session.subject.id === alice.id)).toBe(true)
  })

  it('`current` ends the caller\'s own session at once', async () => {
    const token = await mock.signIn(alice.email, alice.password)
    expect((await mock.call('DELETE', '/v1/sessions/current', { token })).status).toBe(204)
    expectProblem(await mock.call('GET', '/v1/sessions', { token }), 401, 'token_revoked')
  })

  it('another subject\'s session is 404', async () => {
    const admin = (await exchange()).body
    const token = await mock.signIn(alice.email, alice.password)
    expectProblem(await mock.call('DELETE', `/v1/sessions/${admin.session_id}`, { token }), 404, 'not_found')
  })

  it('the ApiKey scheme authenticates directly', async () => {
    const authorization = `ApiKey ${FIXTURE_CLIENT_KEY.id}:${FIXTURE_CLIENT_KEY.secret}`
    const me = await mock.call('GET', '/v1/permissions/me', { headers: { authorization } })
    expect(me.status).toBe(200)
    expect(me.body.subject).toEqual({ type: 'api_key', id: FIXTURE_CLIENT_KEY.id })
    const wrong = `ApiKey ${FIXTURE_CLIENT_KEY.id}:sk_${'0'.repeat(40)}`
    expect((await mock.call('GET', '/v1/permissions/me', { headers: { authorization: wrong } })).status).toBe(401)
  })
})
