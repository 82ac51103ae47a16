// Fault injection through the control extension (feature test_faults), over HTTP against a
// real mock: documented errors only, the requests each fault takes, delays and drops, the
// journal, clearing — and a real retrying client (undici's RetryAgent) against a 429.
import { Agent, request, RetryAgent } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { rawAnswers } from '../../support/raw-http.ts'
import { expectProblem, FIXTURE_CLIENT_KEY, FIXTURE_USERS, startTestMock, type Reply, type TestMock } from '../http/test-support.ts'

const RECORDS = '/v1/datasets/orders/records'
let mock: TestMock
let admin: string

beforeAll(async () => {
  mock = await startTestMock({ control: true })
  admin = await mock.adminToken()
})
afterAll(() => mock?.close())
afterEach(async () => {
  await mock.call('DELETE', '/__control/faults')
})

const inject = async (fault: Record<string, unknown>) => {
  const reply = await mock.call('POST', '/__control/faults', { body: fault })
  if (reply.status !== 201) throw new Error(`fault refused: ${reply.status} ${reply.text}`)
  return reply.body as { id: string; remaining: number | null; matched: number; injected: number }
}
const journal = async () => (await mock.call('GET', '/__control/requests')).body.items as Array<Record<string, any>>
const statuses = async (count: number, send: () => Promise<Reply>) => {
  const seen: number[] = []
  for (let i = 0; i < count; i++) seen.push((await send()).status)
  return seen
}

describe('an injected error is a documented answer of the operation', () => {
  it('429 on a record operation: Retry-After, RateLimit-Remaining 0 and the window the request was counted in', async () => {
    await inject({ operation: 'listRecords', status: 429, retry_after: 7, times: 1 })
    const faulted = await mock.call('GET', RECORDS, { token: admin })
    expectProblem(faulted, 429, 'rate_limited')
    expect(faulted.headers).toMatchObject({ 'retry-after': '7', 'ratelimit-remaining': '0', 'ratelimit-reset': '7' })
    const next = await mock.call('GET', RECORDS, { token: admin })
    expect(next.status).toBe(200)
    expect(faulted.headers['ratelimit-limit']).toBe(next.headers['ratelimit-limit'])
  })

  it('429 on the token exchange: the declared token limit, Retry-After 1 by default', async () => {
    await inject({ operation: 'exchangeToken', status: 429, times: 1 })
    const faulted = await mock.call('POST', '/v1/auth/token', { body: { api_key: FIXTURE_CLIENT_KEY.id, api_secret: FIXTURE_CLIENT_KEY.secret } })
    expectProblem(faulted, 429, 'rate_limited')
    const declared = (await mock.call('GET', '/.well-known/auth-configuration')).body.rate_limits as Array<{ scope: string; limit: number }>
    const tokenLimit = Math.min(...declared.filter((rule) => rule.scope === 'token').map((rule) => rule.limit))
    expect(faulted.headers).toMatchObject({ 'retry-after': '1', 'ratelimit-limit': String(tokenLimit), 'ratelimit-remaining': '0' })
  })

  it('401 token_expired mid-flow carries its Bearer challenge; the token still works after', async () => {
    await inject({ operation: 'getMyPermissions', status: 401, code: 'token_expired', times: 1 })
    const faulted = await mock.call('GET', '/v1/permissions/me', { token: admin })
    expectProblem(faulted, 401, 'token_expired')
    expect(faulted.body.detail).toMatch(/^Injected by fault flt_/)
    expect((await mock.call('GET', '/v1/permissions/me', { token: admin })).status).toBe(200)
  })

  it('without a code, the first code the documented answer names', async () => {
    const fault = await inject({ operation: 'listKeys', status: 401, times: 1 })
    expect(fault).toMatchObject({ status: 401, code: 'invalid_token' })
    expect(fault).not.toHaveProperty('retry_after')
    expectProblem(await mock.call('GET', '/v1/keys', { token: admin }), 401, 'invalid_token')
  })

  it('a faulted request has no effect: the key it would have created does not exist', async () => {
    await inject({ operation: 'createKey', status: 403, times: 1 })
    const before = (await mock.call('GET', '/v1/keys', { token: admin })).body.items.length
    expectProblem(await mock.call('POST', '/v1/keys', { token: admin, body: { description: 'never made' } }), 403, 'forbidden')
    expect((await mock.call('GET', '/v1/keys', { token: admin })).body.items).toHaveLength(before)
  })
})

describe('a fault that the operation could not answer is refused with 400 naming the field', () => {
  it.each([
    ['an undocumented status', { operation: 'listKeys', status: 429 }, '/status', /listKeys does not document.*401, 403/],
    ['a code the answer does not name', { operation: 'listKeys', status: 401, code: 'forbidden' }, '/code', /names invalid_token, token_expired, token_revoked/],
    ['retry_after on an answer without Retry-After', { operation: 'listKeys', status: 401, retry_after: 3 }, '/retry_after', /has none/],
    ['a code without a status', { operation: 'listKeys', delay_ms: 10, code: 'forbidden' }, '/code', /needs status/],
    ['a subject on an operation called without credentials', { operation: 'exchangeToken', status: 429, subject: { type: 'user', id: 'usr_x' } }, '/subject', /no subject/],
    ['no effect at all', { operation: 'listKeys', times: 2 }, '', /needs status, drop or delay_ms/],
    ['status and drop together', { operation: 'listKeys', status: 401, drop: true }, '/drop', /excludes status/],
  ])('%s', async (_case, fault, path, message) => {
    const reply = await mock.call('POST', '/__control/faults', { body: fault })
    expectProblem(reply, 400, 'invalid_request')
    expect(reply.body.errors).toEqual([{ in: 'body', path, message: expect.stringMatching(message) }])
    expect((await mock.call('GET', '/__control/faults')).body.items).toEqual([])
  })

  it.each([
    ['an unknown operation', { operation: 'listKittens', status: 400 }],
    ["the control extension's own operation", { operation: 'listControlFaults', delay_ms: 10 }],
    ['a fraction of 0', { operation: 'listKeys', delay_ms: 1, fraction: 0 }],
    ['drop: false', { operation: 'listKeys', drop: false }],
    ['a delay over 5 minutes', { operation: 'listKeys', delay_ms: 300_001 }],
    ['an unknown field', { operation: 'listKeys', delay_ms: 1, every: 2 }],
  ])('the schema refuses %s', async (_case, fault) => {
    expectProblem(await mock.call('POST', '/__control/faults', { body: fault }), 400, 'invalid_request')
  })
})

describe('which requests a fault takes', () => {
  it('the next `times` matching requests, then the fault is spent and gone', async () => {
    await inject({ operation: 'getMyPermissions', status: 401, times: 2 })
    expect(await statuses(3, () => mock.call('GET', '/v1/permissions/me', { token: admin }))).toEqual([401, 401, 200])
    expect((await mock.call('GET', '/__control/faults')).body.items).toEqual([])
  })

  it.each([
    [0.5, [401, 200, 401, 200, 401, 200, 401, 200]],
    [0.3, [401, 200, 200, 401, 200, 200, 401, 200]],
    [0.25, [401, 200, 200, 200, 401, 200, 200, 200]],
  ])('fraction %s: ceil(k × fraction) of the first k, starting with the first — the same on every run', async (fraction, expected) => {
    const fault = await inject({ operation: 'getMyPermissions', status: 401, fraction })
    expect(await statuses(expected.length, () => mock.call('GET', '/v1/permissions/me', { token: admin }))).toEqual(expected)
    const [listed] = (await mock.call('GET', '/__control/faults')).body.items
    expect(listed).toMatchObject({ id: fault.id, matched: expected.length, injected: expected.filter((status) => status === 401).length, remaining: null })
  })

  it('with a subject, only that subject: another caller of the operation is untouched', async () => {
    const alice = await mock.signIn(FIXTURE_USERS.alice.email, FIXTURE_USERS.alice.password)
    const bob = await mock.signIn(FIXTURE_USERS.bob.email, FIXTURE_USERS.bob.password)
    await inject({ operation: 'listRecords', subject: { type: 'user', id: FIXTURE_USERS.alice.id }, status: 429 })
    expect((await mock.call('GET', RECORDS, { token: bob })).status).toBe(200)
    expectProblem(await mock.call('GET', RECORDS, { token: alice }), 429, 'rate_limited')
  })

  it('a request refused before the operation (no credentials) does not match and does not count', async () => {
    await inject({ operation: 'listKeys', status: 403, times: 1 })
    expectProblem(await mock.call('GET', '/v1/keys'), 401, 'invalid_token')
    const [fault] = (await mock.call('GET', '/__control/faults')).body.items
    expect(fault).toMatchObject({ matched: 0, injected: 0, remaining: 1 })
  })

  it('faults are tried in injection order; a request gets at most one', async () => {
    await inject({ operation: 'listKeys', status: 401, times: 1 })
    await inject({ operation: 'listKeys', status: 403, times: 1 })
    expect(await statuses(3, () => mock.call('GET', '/v1/keys', { token: admin }))).toEqual([401, 403, 200])
  })
})

describe('delays and dropped connections', () => {
  it('delay_ms alone makes the real answer late', async () => {
    await inject({ operation: 'listKeys', delay_ms: 400, times: 1 })
    const started = performance.now()
    const reply = await mock.call('GET', '/v1/keys', { token: admin })
    expect(performance.now() - started).toBeGreaterThanOrEqual(390)
    expect(reply.status).toBe(200)
    expect((await journal()).at(-1)).toMatchObject({ path: '/v1/keys', status: 200, fault: { effect: 'delay' } })
  })

  it('with a status, the error comes late', async () => {
    await inject({ operation: 'listKeys', status: 403, delay_ms: 300, times: 1 })
    const started = performance.now()
    expectProblem(await mock.call('GET', '/v1/keys', { token: admin }), 403, 'forbidden')
    expect(performance.now() - started).toBeGreaterThanOrEqual(290)
  })

  it('drop closes the connection without an answer; the journal records it with status null', async () => {
    const fault = await inject({ operation: 'listKeys', drop: true, times: 1 })
    await expect(mock.call('GET', '/v1/keys', { token: admin })).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' })
    expect((await mock.call('GET', '/v1/keys', { token: admin })).status).toBe(200)
    const entries = (await journal()).filter((entry) => entry.path === '/v1/keys').slice(-2)
    expect(entries).toEqual([
      expect.objectContaining({ status: null, subject: { type: 'api_key', id: mock.adminKey }, fault: { id: fault.id, effect: 'drop' } }),
      expect.not.objectContaining({ fault: expect.anything() }),
    ])
  })
})

describe('a drop behind other requests on one connection (pipelined)', () => {
  // A connection's bytes go out at the end of the turn (mock/http/turn-writes.ts): a drop
  // that destroyed the connection at once lost the answers before it, still to be written.
  it('answers the requests before it, then closes the connection without an answer to it', async () => {
    await inject({ operation: 'listKeys', drop: true, times: 1 })
    const requests = ['/.well-known/auth-configuration', '/.well-known/auth-configuration', '/v1/keys']
    const bytes = requests.map((path) => `GET ${path} HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer ${admin}\r\n\r\n`).join('')
    const answers = await rawAnswers(mock.url, bytes, requests.length)
    expect(answers.map(({ status }) => status)).toEqual([200, 200])
  })
})

describe('a real retrying client: undici RetryAgent', () => {
  let agent: RetryAgent
  beforeAll(() => {
    agent = new RetryAgent(new Agent(), { maxRetries: 2 })
  })
  afterAll(() => agent.close())

  it('honours the Retry-After of an injected 429 and then gets the records', async () => {
    const fault = await inject({ operation: 'listRecords', status: 429, retry_after: 1, times: 1 })
    const started = performance.now()
    const response = await request(`${mock.url}${RECORDS}`, { dispatcher: agent, headers: { authorization: `Bearer ${admin}` } })
    const elapsed = performance.now() - started
    expect(response.statusCode).toBe(200)
    expect(((await response.body.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0)
    // RetryAgent waits 500 ms without Retry-After: a second means the header was read.
    expect(elapsed).toBeGreaterThanOrEqual(1000)
    const tries = (await journal()).filter((entry) => entry.path === RECORDS).slice(-2)
    expect(tries.map((entry) => [entry.status, entry.fault?.id])).toEqual([
      [429, fault.id],
      [200, undefined],
    ])
    expect(Date.parse(tries[1]!.time) - Date.parse(tries[0]!.time)).toBeGreaterThanOrEqual(1000)
  })

  it('retries a dropped connection', async () => {
    await inject({ operation: 'listRecords', drop: true, times: 1 })
    const response = await request(`${mock.url}${RECORDS}`, { dispatcher: agent, headers: { authorization: `Bearer ${admin}` } })
    expect(response.statusCode).toBe(200)
    await response.body.dump()
  })
})

describe('listing and clearing', () => {
  it('lists the faults in force in injection order, with defaults filled in', async () => {
    const first = await inject({ operation: 'listKeys', delay_ms: 5 })
    const second = await inject({ operation: 'listRecords', status: 429, times: 3, subject: { type: 'user', id: FIXTURE_USERS.bob.id } })
    expect((await mock.call('GET', '/__control/faults')).body.items).toEqual([
      { id: first.id, operation: 'listKeys', delay_ms: 5, fraction: 1, remaining: null, matched: 0, injected: 0 },
      {
        id: second.id,
        operation: 'listRecords',
        subject: { type: 'user', id: FIXTURE_USERS.bob.id },
        status: 429,
        code: 'rate_limited',
        retry_after: 1,
        fraction: 1,
        remaining: 3,
        matched: 0,
        injected: 0,
      },
    ])
  })

  it('DELETE one fault by id, 404 once it is gone', async () => {
    const fault = await inject({ operation: 'listKeys', status: 401 })
    expect((await mock.call('DELETE', `/__control/faults/${fault.id}`)).status).toBe(204)
    expectProblem(await mock.call('DELETE', `/__control/faults/${fault.id}`), 404, 'not_found')
    expect((await mock.call('GET', '/v1/keys', { token: admin })).status).toBe(200)
  })

  it('reset (scope all) clears every fault; a narrower scope keeps them', async () => {
    await inject({ operation: 'listKeys', status: 401 })
    await mock.call('POST', '/__control/reset', { body: { scope: 'rate_limits' } })
    expect((await mock.call('GET', '/__control/faults')).body.items).toHaveLength(1)
    await mock.call('POST', '/__control/reset')
    expect((await mock.call('GET', '/__control/faults')).body.items).toEqual([])
    admin = await mock.adminToken()
    expect((await mock.call('GET', '/v1/keys', { token: admin })).status).toBe(200)
  })
})
