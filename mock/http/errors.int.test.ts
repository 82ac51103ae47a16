// The error model over real sockets: every failure is problem+json with the right status
// and code, validation names the field, 401s challenge, 429s tell when to come back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawAnswers } from '../../support/raw-http.ts'
import { expectProblem, startTestMock, type TestMock } from './test-support.ts'

let mock: TestMock
let admin: string

beforeAll(async () => {
  mock = await startTestMock()
  admin = await mock.adminToken()
})
afterAll(() => mock?.close())

describe('request bodies', () => {
  it('malformed JSON is 400 invalid_request', async () => {
    const reply = await mock.call('POST', '/v1/auth/token', { raw: '{"api_key": ', headers: { 'content-type': 'application/json' } })
    expectProblem(reply, 400, 'invalid_request')
    expect(reply.body.detail).toMatch(/not valid JSON/)
  })

  it('an unknown field is 400 and names the field', async () => {
    const reply = await mock.call('POST', '/v1/auth/token', {
      body: { api_key: mock.adminKey, api_secret: mock.adminSecret, remember_me: true },
    })
    expectProblem(reply, 400, 'invalid_request')
    expect(reply.body.detail).toContain('/remember_me')
    expect(reply.body.errors).toContainEqual({ in: 'body', path: '/remember_me', message: 'is not a known field' })
  })

  it('a missing field is 400 and names the field', async () => {
    const reply = await mock.call('POST', '/v1/auth/token', { body: { api_key: mock.adminKey } })
    expectProblem(reply, 400, 'invalid_request')
    expect(reply.body.detail).toContain('/api_secret')
    expect(reply.body.errors).toEqual([{ in: 'body', path: '/api_secret', message: 'is required' }])
  })

  it('a malformed api_key is 400, not 401', async () => {
    const reply = await mock.call('POST', '/v1/auth/token', { body: { api_key: 'admin', api_secret: 'x' } })
    expectProblem(reply, 400, 'invalid_request')
    expect(reply.body.errors).toContainEqual(expect.objectContaining({ in: 'body', path: '/api_key' }))
  })

  it('a value of the wrong type is 400 (bodies are not coerced)', async () => {
    const reply = await mock.call('POST', '/v1/users', {
      token: admin,
      body: { email: 'typed@example.test', password: 'long-enough', active: 'true' },
    })
    expectProblem(reply, 400, 'invalid_request')
    expect(reply.body.errors).toContainEqual(expect.objectContaining({ path: '/active' }))
  })

  it('a missing body is 400', async () => {
    const reply = await mock.call('POST', '/v1/auth/refresh')
    expectProblem(reply, 400, 'invalid_request')
  })

  it.each([
    ['text/plain', 'api_key=x'],
    ['application/x-www-form-urlencoded', 'api_key=x&api_secret=y'],
    ['application/xml', '<token/>'],
  ])('Content-Type %s is 415', async (type, raw) => {
    const reply = await mock.call('POST', '/v1/auth/token', { raw, headers: { 'content-type': type } })
    expectProblem(reply, 415, 'unsupported_media_type')
  })

  it('a body over 1 MiB is 413', async () => {
    const raw = JSON.stringify({ blob: 'x'.repeat(1024 * 1024) })
    const reply = await mock.call('POST', '/v1/datasets/orders/records', {
      raw,
      token: admin,
      headers: { 'content-type': 'application/json' },
    })
    expectProblem(reply, 413, 'payload_too_large')
  })

  it('a query parameter out of range is 400 naming it', async () => {
    const reply = await mock.call('GET', '/v1/datasets/orders/records?limit=0', { token: admin })
    expectProblem(reply, 400, 'invalid_request')
    expect(reply.body.errors).toContainEqual(expect.objectContaining({ in: 'query', path: '/limit' }))
  })

  it('record field names are checked (system fields may not be set)', async () => {
    const reply = await mock.call('POST', '/v1/datasets/orders/records', { token: admin, body: { owner: 'me', total: 1 } })
    expectProblem(reply, 400, 'invalid_request')
    expect(reply.body.errors).toContainEqual(expect.objectContaining({ path: '/owner' }))
  })
})

describe('routes and credentials', () => {
  it.each([
    ['GET', '/v2/anything'],
    ['GET', '/v1/nothing-here?token=secret'],
  ])('%s %s is 404 problem+json', async (method, path) => {
    const reply = await mock.call(method, path)
    expectProblem(reply, 404, 'not_found')
    expect(reply.body.detail).not.toContain('secret')
  })

  it('a method the path does not define is 405 with Allow, and the detail leaves the query out', async () => {
    const reply = await mock.call('DELETE', '/.well-known/jwks.json?token=secret')
    expectProblem(reply, 405, 'method_not_allowed')
    expect(reply.headers.allow).toBe('GET, HEAD, OPTIONS')
    expect(reply.body.detail).toBe('/.well-known/jwks.json does not support DELETE; it supports GET, HEAD, OPTIONS.')
  })

  it.each([
    ['no Authorization header', undefined],
    ['an unknown scheme', 'Digest abc'],
    ['a token that is no JWT', 'Bearer not-a-jwt'],
    ['an empty Bearer', 'Bearer'],
    ['a malformed ApiKey credential', 'ApiKey nocolon'],
  ])('%s is 401 invalid_token with a Bearer challenge', async (_case, authorization) => {
    const reply = await mock.call('GET', '/v1/sessions', { headers: authorization ? { authorization } : {} })
    expectProblem(reply, 401, 'invalid_token')
    expect(reply.headers['www-authenticate']).toMatch(/^Bearer realm="authconform", error="invalid_token", error_description="[^"]+"$/)
  })

  it('wrong API key credentials are 401 invalid_credentials, with the challenge too', async () => {
    const reply = await mock.call('POST', '/v1/auth/token', { body: { api_key: mock.adminKey, api_secret: `sk_${'x'.repeat(40)}` } })
    expectProblem(reply, 401, 'invalid_credentials')
  })

  it('a non-admin caller of a management operation is 403 before its body is looked at', async () => {
    const user = await mock.signIn('alice@example.test', 'alice-dev-password')
    expectProblem(await mock.call('POST', '/v1/keys', { token: user, body: { nonsense: true } }), 403, 'forbidden')
  })

  it('a domain conflict is 409', async () => {
    const reply = await mock.call('POST', '/v1/datasets', { token: admin, body: { name: 'orders' } })
    expectProblem(reply, 409, 'conflict')
  })
})

describe('rate limits', () => {
  let limited: TestMock
  beforeAll(async () => {
    limited = await startTestMock({
      rateLimits: [
        { scope: 'token', limit: 2, windowSeconds: 60 },
        { scope: 'data', limit: 3, windowSeconds: 30 },
      ],
    })
  })
  afterAll(() => limited?.close())

  it('the token scope answers 429 with Retry-After and RateLimit headers once exhausted', async () => {
    const body = { api_key: limited.adminKey, api_secret: limited.adminSecret }
    const first = await limited.call('POST', '/v1/auth/token', { body })
    expect(first.status).toBe(200)
    expect(first.headers).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '1' })
    expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThan(0)
    expect((await limited.call('POST', '/v1/auth/token', { body })).status).toBe(200)
    const refused = await limited.call('POST', '/v1/auth/token', { body })
    expectProblem(refused, 429, 'rate_limited')
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(refused.headers).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '0' })
    expect(Number(refused.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1)
  })

  it('the data scope counts every records operation per subject', async () => {
    const discovery = (await limited.call('GET', '/.well-known/auth-configuration')).body
    expect(discovery.rate_limits).toContainEqual({ scope: 'data', per: 'subject', limit: 3, window_seconds: 30 })
    const alice = await limited.signIn('alice@example.test', 'alice-dev-password')
    const bob = await limited.signIn('bob@example.test', 'bob-dev-password')
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await limited.call('GET', '/v1/datasets/orders/records', { token: alice })).status)
    expect(statuses).toEqual([200, 200, 200, 429])
    // Another subject has its own window.
    const other = await limited.call('GET', '/v1/datasets/orders/records/rec_bobOrder100000000000', { token: bob })
    expect(other.status).toBe(200)
    expect(other.headers['ratelimit-remaining']).toBe('2')
  })
})

describe('cross-origin use', () => {
  it('answers preflights and exposes the rate-limit and challenge headers', async () => {
    const preflight = await mock.call('OPTIONS', '/v1/auth/token', {
      headers: { origin: 'http://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('http://app.example')
    const reply = await mock.call('GET', '/v1/sessions', { headers: { origin: 'http://app.example' } })
    expect(reply.headers['access-control-expose-headers']).toMatch(/WWW-Authenticate/)
    expect(reply.headers['access-control-expose-headers']).toMatch(/RateLimit-Remaining/)
    expect(reply.headers['access-control-expose-headers']).toMatch(/Retry-After/)
  })

  it('gives a request without an Origin Vary: Origin and no CORS headers (only browsers read them, and they send an Origin)', async () => {
    const reply = await mock.call('GET', '/v1/sessions')
    expect(reply.status).toBe(401)
    expect(reply.headers.vary).toBe('Origin')
    expect(Object.keys(reply.headers).filter((name) => name.startsWith('access-control-'))).toEqual([])
  })

  it('answers a bare OPTIONS (no preflight headers, or an empty Origin) with 204 and Allow, and 404 on an unknown path', async () => {
    const bare = await mock.call('OPTIONS', '/v1/keys/key_anything0000000000000')
    expect(bare.status).toBe(204)
    expect(bare.headers.allow).toBe('GET, HEAD, DELETE, OPTIONS')
    expect(bare.headers['content-length']).toBe('0')
    expect(bare.headers.vary).toBe('Origin')
    expect(bare.text).toBe('')
    const emptyOrigin = await mock.call('OPTIONS', '/v1/auth/token', { headers: { origin: '', 'access-control-request-method': 'POST' } })
    expect([emptyOrigin.status, emptyOrigin.headers.allow]).toEqual([204, 'POST, OPTIONS'])
    const fromPage = await mock.call('OPTIONS', '/v1/auth/token', { headers: { origin: 'http://app.example' } })
    expect(fromPage.status).toBe(204)
    expect(fromPage.headers.allow).toBe('POST, OPTIONS')
    expect(fromPage.headers['access-control-allow-origin']).toBe('http://app.example')
    expectProblem(await mock.call('OPTIONS', '/v1/nothing-here'), 404, 'not_found')
  })
})

describe('requests the HTTP parser cannot read', () => {
  it.each([
    ['a header line without a colon', 400, 'GET /v1/keys HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n'],
    ['a malformed request line', 400, 'GET /v1/keys HTTP/9\r\nHost: x\r\n\r\n'],
    ['bad chunked encoding', 400, 'POST /v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['headers over the size limit', 431, `GET /v1/keys HTTP/1.1\r\nHost: x\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`],
  ])('%s is a problem+json %i invalid_request, not Fastify\'s own JSON', async (_case, status, bytes) => {
    const [answer] = await rawAnswers(mock.url, bytes)
    expect(answer?.status).toBe(status)
    expect(answer?.headers['content-type']).toMatch(/^application\/problem\+json/i)
    expect(JSON.parse(answer!.text)).toMatchObject({ type: 'urn:authconform:problem:invalid_request', code: 'invalid_request', status })
  })

  it('behind requests on the same connection (pipelined): their answers first, in order, then the 400', async () => {
    const readable = 'GET /.well-known/auth-configuration HTTP/1.1\r\nHost: x\r\n\r\n'
    const answers = await rawAnswers(mock.url, `${readable}${readable}NOT HTTP\r\n\r\n`, 3)
    expect(answers.map(({ status }) => status)).toEqual([200, 200, 400])
  })
})
