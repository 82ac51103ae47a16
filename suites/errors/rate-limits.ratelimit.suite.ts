// Rate limits as errors: a 429 carries Retry-After and the RateLimit headers (ERR-009),
// the same request succeeds after Retry-After (ERR-010), token exchange is limited per
// key (ERR-012), data requests per subject without touching other subjects (ERR-013),
// and successes carry the RateLimit headers (ERR-018). Every number comes from discovery.
import { describe, expect, it } from 'vitest'
import { api, crediting, expectProblem, given, notVerified, target, time, type ApiResponse, type RateLimit } from '../harness/index.ts'

/** More than this many requests to exhaust one limit is beyond a conformance run. */
const MAX_SPEND = 10_000

function declared(scope: RateLimit['scope'], per: RateLimit['per']): RateLimit | undefined {
  return target.discovery.rate_limits.find((limit) => limit.scope === scope && limit.per === per)
}

function required(scope: RateLimit['scope'], per: RateLimit['per'], requirement: string): RateLimit {
  const limit = declared(scope, per)
  expect(limit, `${requirement}: discovery must declare a ${scope} limit per ${per}`).toBeDefined()
  if (limit!.limit > MAX_SPEND) notVerified(`the ${scope} limit ${limit!.limit} is more than ${MAX_SPEND} requests`)
  return limit!
}

function integerHeader(response: ApiResponse<any>, name: string): number {
  const value = response.headers[name.toLowerCase()]
  expect(value, `${name} header on ${response.status}`).toMatch(/^\d+$/)
  return Number(value)
}

/**
 * The limit held — a 429 (the case's own rule) — with the headers ERR-009 demands (a
 * failure of those is ERR-009's); returns Retry-After in seconds.
 */
function expectRateLimited(response: ApiResponse<any>, limit: RateLimit): number {
  expectProblem(response, 429, 'rate_limited')
  return crediting(['ERR-009'], () => {
    const retryAfter = integerHeader(response, 'Retry-After')
    expect(retryAfter, 'Retry-After is at least 1 s').toBeGreaterThanOrEqual(1)
    expect(retryAfter, 'Retry-After is within the window').toBeLessThanOrEqual(limit.window_seconds)
    expect(integerHeader(response, 'RateLimit-Limit')).toBe(limit.limit)
    expect(integerHeader(response, 'RateLimit-Remaining')).toBe(0)
    expect(integerHeader(response, 'RateLimit-Reset')).toBeLessThanOrEqual(limit.window_seconds)
    return retryAfter
  })
}

/**
 * Sends `count` requests a few at a time and returns their statuses; ends the case not
 * verified when they did not fit in one window (the count would prove nothing).
 */
async function spend(count: number, limit: RateLimit, send: () => Promise<ApiResponse<any>>): Promise<number[]> {
  const started = Date.now()
  const statuses: number[] = []
  for (let sent = 0; sent < count; sent += 8) {
    const batch = await Promise.all(Array.from({ length: Math.min(8, count - sent) }, send))
    statuses.push(...batch.map((response) => response.status))
  }
  if (Date.now() - started > limit.window_seconds * 900) notVerified(`${count} requests took longer than the ${limit.window_seconds} s window`)
  return statuses
}

function expectAll(statuses: number[], status: number, what: string): void {
  const wrong = statuses.map((actual, index) => ({ request: index + 1, actual })).filter(({ actual }) => actual !== status)
  expect(wrong.slice(0, 5), `${what}: every request within the limit answers ${status}`).toEqual([])
}

const exchange = (key: { id: string; secret: string }) => api.anonymous.post('/v1/auth/token', { api_key: key.id, api_secret: key.secret })

/** Exhausts the token limit of a new key; returns the key and the Retry-After of its 429. */
async function exhaustTokenLimit(limit: RateLimit): Promise<{ key: { id: string; secret: string }; retryAfter: number }> {
  const perAddress = declared('token', 'address')
  if (perAddress && perAddress.limit <= limit.limit + 2) notVerified('the per-address token limit would be reached first')
  const key = await given.key()
  expectAll(await spend(limit.limit, limit, () => exchange(key)), 200, 'exchanges')
  return { key, retryAfter: expectRateLimited(await exchange(key), limit) }
}

describe('ERR-012 token exchange is rate limited per key', () => {
  it('ERR-012 ERR-009 the exchange after the declared limit is 429 with Retry-After and RateLimit headers; other keys go on', async () => {
    const limit = required('token', 'credential', 'ERR-012')
    await exhaustTokenLimit(limit)
    expect((await exchange(await given.key())).status, 'another key is not limited').toBe(200)
  })
})

describe('ERR-010 requests are accepted again after Retry-After', () => {
  it('ERR-010 ERR-009 the same exchange succeeds once Retry-After seconds have passed', async () => {
    const limit = required('token', 'credential', 'ERR-010')
    time.require(limit.window_seconds)
    const { key, retryAfter } = await exhaustTokenLimit(limit)
    await time.advance(retryAfter)
    expect((await exchange(key)).status, `the same exchange after Retry-After ${retryAfter} s`).toBe(200)
  })
})

describe('ERR-013 data requests are rate limited per subject', () => {
  it('ERR-013 ERR-009 a subject over the data limit gets 429 on every record operation; another subject does not', async () => {
    const limit = required('data', 'subject', 'ERR-013')
    const dataset = await given.dataset()
    const [busy, other] = [await given.key(), await given.key()]
    await given.policy({ subjects: [{ type: 'api_key', id: busy.id }, { type: 'api_key', id: other.id }], resources: [dataset], actions: ['create', 'read'], filters: [] })
    const record = await given.record(dataset, 'admin', { n: 1 })
    const busyClient = api.as(await given.bearer(busy))
    const otherClient = api.as(await given.bearer(other))
    const list = (client: typeof busyClient) => client.get('/v1/datasets/{name}/records', { params: { name: dataset }, query: { limit: 1 } })

    expectAll(await spend(limit.limit, limit, () => list(busyClient)), 200, 'data requests')
    expectRateLimited(await list(busyClient), limit)
    expectRateLimited(await busyClient.get('/v1/datasets/{name}/records/{id}', { params: { name: dataset, id: record.id } }), limit)
    expectRateLimited(await busyClient.post('/v1/datasets/{name}/records', { n: 2 }, { params: { name: dataset } }), limit)
    expect((await list(otherClient)).status, 'another subject is not affected').toBe(200)
  }, 120_000)
})

describe('ERR-018 rate-limited successes carry the RateLimit headers', () => {
  /** [operation, scope, how to make two consecutive successful requests]. */
  const OPERATIONS: [string, RateLimit['scope'], () => Promise<() => Promise<ApiResponse<any>>>][] = [
    ['POST /v1/auth/token', 'token', async () => {
      const key = await given.key()
      return () => exchange(key)
    }],
    ['POST /v1/sessions', 'signin', async () => {
      const user = await given.user()
      return () => api.anonymous.post('/v1/sessions', { email: user.email, password: user.password })
    }],
    ['GET /v1/datasets/{name}/records', 'data', async () => {
      const dataset = await given.dataset()
      return () => api.admin.get('/v1/datasets/{name}/records', { params: { name: dataset } })
    }],
    ['POST /v1/datasets/{name}/records', 'data', async () => {
      const dataset = await given.dataset()
      return () => api.admin.post('/v1/datasets/{name}/records', { n: 1 }, { params: { name: dataset } })
    }],
  ]

  it.each(OPERATIONS)('ERR-018 %s answers with RateLimit-Limit, -Remaining and -Reset of its limit', async (_, scope, prepare) => {
    const limits = target.discovery.rate_limits.filter((limit) => limit.scope === scope)
    expect(limits.length, `discovery declares a ${scope} limit`).toBeGreaterThan(0)
    const send = await prepare()
    const first = await send()
    const second = await send()
    expect([first.status, second.status].every((status) => status >= 200 && status < 300)).toBe(true)
    for (const response of [first, second]) {
      const quota = integerHeader(response, 'RateLimit-Limit')
      expect(limits.map((limit) => limit.limit), 'RateLimit-Limit is a declared limit of the scope').toContain(quota)
      expect(integerHeader(response, 'RateLimit-Remaining')).toBeLessThan(quota)
      const reset = integerHeader(response, 'RateLimit-Reset')
      expect(reset).toBeLessThanOrEqual(Math.max(...limits.map((limit) => limit.window_seconds)))
    }
    if (first.headers['ratelimit-limit'] === second.headers['ratelimit-limit']) {
      expect(integerHeader(second, 'RateLimit-Remaining'), 'Remaining counts down').toBeLessThan(integerHeader(first, 'RateLimit-Remaining'))
    }
  })
})
