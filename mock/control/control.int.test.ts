// The test-control extension: absent unless enabled, guarded, and really in charge of
// time and state.
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { operations } from '../../openapi/contract.ts'
import { checkResponse } from '../../suites/harness/contract-check.ts'
import { expectProblem, FIXTURE_USERS, startTestMock, type TestMock } from '../http/test-support.ts'

describe('without --control', () => {
  let mock: TestMock
  beforeAll(async () => {
    mock = await startTestMock()
  })
  afterAll(() => mock?.close())

  const controlOperations = operations().filter((operation) => operation.path.startsWith('/__control/'))

  it('the contract has control operations (the table below is not empty)', () => {
    expect(controlOperations.length).toBeGreaterThanOrEqual(4)
  })

  it.each(controlOperations.map((operation) => [operation.method.toUpperCase(), operation.path]))(
    '%s %s is 404, as the operation documents, and discovery lists neither test_control nor test_faults',
    async (method, path) => {
      const reply = await mock.call(method, path, method === 'POST' ? { body: {} } : {})
      expectProblem(reply, 404, 'not_found')
      expect(checkResponse({ method, path, status: reply.status, headers: reply.headers, body: reply.body, text: reply.text }).violations).toEqual([])
      const { features } = (await mock.call('GET', '/.well-known/auth-configuration')).body
      expect(features).not.toContain('test_control')
      expect(features).not.toContain('test_faults')
    },
  )
})

describe('with --control (loopback)', () => {
  let mock: TestMock
  beforeAll(async () => {
    mock = await startTestMock({ control: true, accessTtl: 600 })
  })
  afterAll(() => mock?.close())

  it('discovery lists test_control and test_faults', async () => {
    expect((await mock.call('GET', '/.well-known/auth-configuration')).body.features).toEqual(expect.arrayContaining(['test_control', 'test_faults']))
  })

  it('advancing the clock makes an access token expire at its TTL', async () => {
    await mock.call('POST', '/__control/reset', { body: { scope: 'clock' } })
    const token = await mock.adminToken()
    const { iat, exp } = decodeJwt(token) as { iat: number; exp: number }
    expect(exp - iat).toBe(600)
    const before = (await mock.call('GET', '/__control/clock')).body
    expect(before.offset_seconds).toBe(0)
    // Counted from the token's own exp on the mock's clock, not from the advance alone: the
    // clock lands in the second before last (at least a second before exp), whatever
    // fraction of a second had passed when the token was issued or the clock read.
    const inside = Math.ceil(exp - Date.parse(before.now) / 1000) - 2
    const moved = await mock.call('POST', '/__control/clock', { body: { advance_seconds: inside } })
    expect(moved.body.offset_seconds).toBe(inside)
    expect(Date.parse(moved.body.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(inside * 1000)
    expect(Date.parse(moved.body.now) / 1000).toBeLessThan(exp - 1)
    expect((await mock.call('GET', '/v1/sessions', { token })).status).toBe(200)
    // Two more seconds reach exp or pass it: expired on or after exp (RFC 7519).
    await mock.call('POST', '/__control/clock', { body: { advance_seconds: 2 } })
    expectProblem(await mock.call('GET', '/v1/sessions', { token }), 401, 'token_expired')
  })

  it('rejects a negative or fractional advance with 400', async () => {
    for (const advance_seconds of [-1, 1.5, '10']) {
      expectProblem(await mock.call('POST', '/__control/clock', { body: { advance_seconds } }), 400, 'invalid_request')
    }
  })

  it('a JSON null reset body is 400 naming the body, and resets nothing', async () => {
    await mock.call('POST', '/__control/clock', { body: { advance_seconds: 7 } })
    const reply = await mock.call('POST', '/__control/reset', { raw: 'null', headers: { 'content-type': 'application/json' } })
    expectProblem(reply, 400, 'invalid_request')
    expect(reply.body.errors).toEqual([{ in: 'body', path: '', message: 'must be object' }])
    expect((await mock.call('GET', '/__control/clock')).body.offset_seconds).toBeGreaterThanOrEqual(7)
  })

  it('reset returns data and clock to the fixtures', async () => {
    const admin = await mock.adminToken()
    const record = '/v1/datasets/orders/records/rec_aliceOrder1000000000'
    expect((await mock.call('DELETE', record, { token: admin })).status).toBe(204)
    await mock.call('POST', '/__control/clock', { body: { advance_seconds: 30 } })
    expect((await mock.call('POST', '/__control/reset', { body: { scope: 'data' } })).status).toBe(204)
    const fresh = await mock.adminToken()
    expect((await mock.call('GET', record, { token: fresh })).status).toBe(200)
    expect((await mock.call('GET', '/__control/clock')).body.offset_seconds).toBeGreaterThan(0)
    expect((await mock.call('POST', '/__control/reset')).status).toBe(204)
    expect((await mock.call('GET', '/__control/clock')).body.offset_seconds).toBe(0)
  })

  it.each(['data', 'clock', 'all'])('reset of %s ends every session, the admin key\'s too: its token is token_revoked', async (scope) => {
    await mock.call('POST', '/__control/clock', { body: { advance_seconds: 5 } })
    const token = await mock.adminToken()
    expect((await mock.call('POST', '/__control/reset', { body: { scope } })).status).toBe(204)
    expectProblem(await mock.call('GET', '/v1/sessions', { token }), 401, 'token_revoked')
  })

  it('reset of the clock closes every rate-limit window and keeps the data', async () => {
    const admin = await mock.adminToken()
    const key = (await mock.call('POST', '/v1/keys', { token: admin, body: { description: 'limited' } })).body
    const exchange = () => mock.call('POST', '/v1/auth/token', { body: { api_key: key.id, api_secret: key.secret } })
    let status = 200
    for (let sent = 0; status === 200 && sent < 100; sent += 1) status = (await exchange()).status
    expect(status, 'the key’s token limit is reached within 100 exchanges').toBe(429)
    await mock.call('POST', '/__control/reset', { body: { scope: 'clock' } })
    expect((await exchange()).status).toBe(200)
  })

  it('reset of sessions ends every session', async () => {
    const token = await mock.signIn(FIXTURE_USERS.bob.email, FIXTURE_USERS.bob.password)
    await mock.call('POST', '/__control/reset', { body: { scope: 'sessions' } })
    expect((await mock.call('GET', '/v1/sessions', { token })).status).toBe(401)
  })

  it('the journal lists requests with subject and status, without query strings or credentials', async () => {
    await mock.call('POST', '/__control/reset', { body: { scope: 'all' } })
    const token = await mock.adminToken()
    await mock.call('GET', '/v1/datasets/orders/records?limit=1&cursor=abc', { token })
    await mock.call('GET', '/v1/users?access_token=leak')
    await mock.call('GET', '/v1/keys/%ZZ') // answered by the router, where no route hook runs
    const { body, text } = await mock.call('GET', '/__control/requests')
    expect(body.items.map(({ method, path, status }: Record<string, unknown>) => [method, path, status])).toEqual([
      ['POST', '/v1/auth/token', 200],
      ['GET', '/v1/datasets/orders/records', 400], // an opaque cursor it never issued
      ['GET', '/v1/users', 401],
      ['GET', '/v1/keys/%ZZ', 404],
    ])
    expect(body.items[1].subject).toEqual({ type: 'api_key', id: mock.adminKey })
    expect(body.items[0].subject).toBeNull()
    expect(text).not.toMatch(/leak|cursor|sk_|eyJ/)
  })
})

describe('with --control-token', () => {
  let mock: TestMock
  beforeAll(async () => {
    mock = await startTestMock({ control: true, controlToken: 'let-me-drive' })
  })
  afterAll(() => mock?.close())

  it.each([
    ['no token', {}],
    ['a wrong token', { 'x-control-token': 'let-me-drive!' }],
  ])('%s is 403 forbidden, even from loopback', async (_case, headers) => {
    expectProblem(await mock.call('GET', '/__control/clock', { headers }), 403, 'forbidden')
  })

  it('the right token is admitted', async () => {
    const reply = await mock.call('GET', '/__control/clock', { headers: { 'x-control-token': 'let-me-drive' } })
    expect(reply.status).toBe(200)
  })
})
