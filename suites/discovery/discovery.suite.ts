// Discovery and JWKS (DISC-001..004): the document a target is held to, the keys that
// verify its tokens, the claims in them, and the optional features it claims.
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { describe, expect, it } from 'vitest'
import { api, control, decodeJwt, expectProblem, given, requireFeature, target, type TokenResponse } from '../harness/index.ts'

const ASYMMETRIC = /^(EdDSA|ES(256|384|512)|RS(256|384|512)|PS(256|384|512))$/
/** Private JWK members (RFC 7518 §6.2.2, §6.3.2, RFC 8037 §2): never published. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']

async function publishedKeys(): Promise<JSONWebKeySet> {
  const response = await api.anonymous.send({ method: 'get', path: target.discovery.jwks_uri })
  expect(response.status, 'GET jwks_uri').toBe(200)
  return response.body as JSONWebKeySet
}

async function expectVerifies(tokens: TokenResponse): Promise<void> {
  const jwks = await publishedKeys()
  const { header } = decodeJwt(tokens.access_token)
  expect(header.alg, 'alg must be asymmetric').toMatch(ASYMMETRIC)
  expect(target.discovery.signing_alg_values_supported, 'alg is one discovery declares').toContain(header.alg)
  expect(jwks.keys.map((key) => key.kid), 'the header kid names a published key').toContain(header.kid)
  const { payload } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks), {
    issuer: target.discovery.issuer,
    algorithms: target.discovery.signing_alg_values_supported,
    // The target's clock may run ahead of ours (a clock suite advanced it earlier).
    clockTolerance: '3650d',
  })
  expect(payload.iss).toBe(target.discovery.issuer)
}

describe('DISC-001 discovery document is public and complete', () => {
  it('DISC-001 GET /.well-known/auth-configuration answers 200 without credentials', async () => {
    const response = await api.anonymous.get('/.well-known/auth-configuration')
    expect(response.status).toBe(200)
    const discovery = response.body
    for (const ttl of [discovery.access_token_ttl, discovery.refresh_token_ttl]) {
      expect(Number.isInteger(ttl) && ttl > 0, `TTL ${ttl} is a positive whole number of seconds`).toBe(true)
    }
    expect(Array.isArray(discovery.rate_limits)).toBe(true)
    expect(Array.isArray(discovery.features)).toBe(true)
  })

  it('DISC-001 the endpoints it names are absolute URLs on the issuer\'s origin', async () => {
    const { discovery } = target
    const issuer = new URL(discovery.issuer)
    expect(issuer.protocol, 'issuer is an http(s) URL').toMatch(/^https?:$/)
    for (const [name, value] of [['jwks_uri', discovery.jwks_uri], ['token_endpoint', discovery.token_endpoint]] as const) {
      // A relative value would not parse without a base, so parsing alone proves "absolute".
      expect(URL.canParse(value), `${name} ${JSON.stringify(value)} is an absolute URL`).toBe(true)
      expect(new URL(value).origin, `${name} is on the issuer's origin`).toBe(issuer.origin)
    }
    expect(new URL(discovery.token_endpoint).pathname).toBe('/v1/auth/token')
    expect(() => new RegExp(discovery.api_key_pattern), 'api_key_pattern is a regular expression').not.toThrow()
  })

  it('DISC-001 jwks_uri serves the key set', async () => {
    // publishedKeys fetches the very URL discovery names, not a path guessed on the target.
    const jwks = await publishedKeys()
    expect(Array.isArray(jwks.keys), 'the JWKS has a keys array').toBe(true)
  })

  it('DISC-001 the document does not depend on who asks', async () => {
    const caller = await given.bearer(await given.key())
    const anonymous = await api.anonymous.get('/.well-known/auth-configuration')
    const authenticated = await api.as(caller).get('/.well-known/auth-configuration')
    expect(authenticated.status).toBe(200)
    expect(authenticated.body).toEqual(anonymous.body)
  })
})

describe('DISC-002 access tokens verify against the published JWKS', () => {
  it('DISC-002 the JWKS publishes public keys only, each with a kid', async () => {
    const jwks = await publishedKeys()
    expect(jwks.keys.length).toBeGreaterThan(0)
    for (const key of jwks.keys) {
      expect(key.kid, 'every key has a kid').toBeTruthy()
      for (const member of PRIVATE_MEMBERS) expect(key, `key ${key.kid} must not publish '${member}'`).not.toHaveProperty(member)
    }
  })

  it('DISC-002 an API key access token verifies with the key its kid names', async () => {
    await expectVerifies(await given.session(await given.key()))
  })

  it('DISC-002 a user access token verifies too', async () => {
    await expectVerifies(await given.signIn(await given.user()))
  })

  it('DISC-002 a refreshed access token verifies too', async () => {
    const tokens = await given.session(await given.key())
    const refreshed = await api.anonymous.post('/v1/auth/refresh', { refresh_token: tokens.refresh_token })
    expect(refreshed.status).toBe(200)
    await expectVerifies(refreshed.body)
  })

  it('DISC-002 a token with a tampered payload is not accepted', async () => {
    const tokens = await given.session(await given.key())
    const [header, payload, signature] = tokens.access_token.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'))
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'key_forgedforgedforged' })).toString('base64url')
    expectProblem(await api.as({ bearer: `${header}.${forged}.${signature}` }).get('/v1/sessions'), 401, 'invalid_token')
  })
})

describe('DISC-003 access tokens carry the standard claims', () => {
  it('DISC-003 an API key token has iss, sub = the key id, sid = session_id, iat, exp and jti', async () => {
    const key = await given.key()
    const tokens = await given.session(key)
    const { payload } = decodeJwt(tokens.access_token)
    expect(payload.iss).toBe(target.discovery.issuer)
    expect(payload.sub).toBe(key.id)
    expect(payload.sid).toBe(tokens.session_id)
    expect(Number.isInteger(payload.iat)).toBe(true)
    expect(Number.isInteger(payload.exp)).toBe(true)
    expect(payload.exp!).toBeGreaterThan(payload.iat!)
    expect(typeof payload.jti === 'string' && payload.jti.length > 0, 'jti is a non-empty string').toBe(true)
  })

  it('DISC-003 a user token has sub = the user id', async () => {
    const user = await given.user()
    const tokens = await given.signIn(user)
    const { payload } = decodeJwt(tokens.access_token)
    expect(payload.sub).toBe(user.id)
    expect(payload.sid).toBe(tokens.session_id)
  })

  it('DISC-003 every token has its own jti, across exchanges and refreshes', async () => {
    const key = await given.key()
    const first = await given.session(key)
    const second = await given.session(key)
    const refreshed = await api.anonymous.post('/v1/auth/refresh', { refresh_token: first.refresh_token })
    expect(refreshed.status).toBe(200)
    const ids = [first, second, refreshed.body].map((tokens) => decodeJwt(tokens.access_token).payload.jti)
    expect(new Set(ids).size).toBe(3)
    expect(decodeJwt(refreshed.body.access_token).payload.sid, 'a refresh stays in its session').toBe(first.session_id)
  })
})

describe('DISC-004 declared features are real', () => {
  it('DISC-004 apikey_scheme: ApiKey credentials authenticate as the key, a wrong secret is 401', async () => {
    requireFeature('apikey_scheme')
    const key = await given.key()
    const me = await api.as({ apiKey: { id: key.id, secret: key.secret } }).get('/v1/permissions/me')
    expect(me.status).toBe(200)
    expect(me.body.subject).toEqual({ type: 'api_key', id: key.id })
    const wrong = await api.as({ apiKey: { id: key.id, secret: `${key.secret}x` } }).get('/v1/permissions/me')
    expect(wrong.status).toBe(401)
  })

  it('DISC-004 basic_signin: HTTP Basic without a body signs the user in', async () => {
    requireFeature('basic_signin')
    const user = await given.user()
    const response = await api.as({ basic: { email: user.email, password: user.password } }).send({ method: 'post', path: '/v1/sessions' })
    expect(response.status).toBe(201)
    expect(decodeJwt(response.body.access_token).payload.sub).toBe(user.id)
  })

  it('DISC-004 test_control: the control clock answers and accepts an advance of zero', async () => {
    requireFeature('test_control')
    const before = await control.request('GET', '/__control/clock')
    expect(before.status).toBe(200)
    // Zero seconds: proves the endpoint without moving anyone's clock.
    const advanced = await control.request('POST', '/__control/clock', { advance_seconds: 0 })
    expect(advanced.status).toBe(200)
    expect(advanced.body.offset_seconds).toBe(before.body.offset_seconds)
  })

  it("DISC-004 test_faults: a fault answers its subject's next request with the documented error, then is spent", async () => {
    requireFeature('test_faults')
    const [key, bystander] = [await given.key(), await given.key()]
    const [mine, theirs] = [api.as(await given.bearer(key)), api.as(await given.bearer(bystander))]
    // Only for this case's own key: the run's other cases never meet the fault.
    const fault = { operation: 'getMyPermissions', subject: { type: 'api_key', id: key.id }, status: 401, code: 'token_expired', times: 1 }
    const injected = await control.request('POST', '/__control/faults', fault)
    expect(injected.status).toBe(201)
    const listed = await control.request('GET', '/__control/faults')
    expect(listed.body.items).toContainEqual(expect.objectContaining({ id: injected.body.id, remaining: 1, injected: 0 }))
    expect((await theirs.get('/v1/permissions/me')).status).toBe(200)
    expectProblem(await mine.get('/v1/permissions/me'), 401, 'token_expired')
    expect((await mine.get('/v1/permissions/me')).status).toBe(200)
    expectProblem(await control.request('DELETE', `/__control/faults/${injected.body.id}`), 404, 'not_found')
    const undocumented = await control.request('POST', '/__control/faults', { ...fault, status: 409 })
    expectProblem(undocumented, 400, 'invalid_request')
  })
})
