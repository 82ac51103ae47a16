// DISC-005: every declared rate limit is enforced exactly — request number `limit` of a
// window succeeds, request `limit + 1` is 429 — in a fixed window that begins in the second
// of its first request and ends exactly `window_seconds` later (probed with the control
// clock, ERR-010: Retry-After counts to that end). Two cases per entry discovery declares.
import { describe, expect, it } from 'vitest'
import {
  answeredWithinOneSecond,
  api,
  atSecond,
  expectProblem,
  notApplicable,
  notVerified,
  requireExactInstants,
  target,
  time,
  type RateLimit,
} from '../harness/index.ts'
import { DRIVERS, SHARED_SCOPES, sendMany, type Driver } from './rate-limit-drivers.ts'

// A document without rate_limits fails DISC-001; here it simply declares none.
const declared = target.discovery.rate_limits ?? []
/** Big limits take a while to spend: the case may take that long, the window decides. */
const timeoutFor = (limit: RateLimit) => 30_000 + limit.limit * 100

/** The limit's driver, after fresh windows where the target allows them. */
async function prepareDriver(limit: RateLimit): Promise<Driver> {
  const kind = `${limit.scope}/${limit.per}`
  const prepare = DRIVERS[kind]
  if (!prepare) notVerified(`no way to drive a ${kind} limit`)
  // The admin's own exchange when a clock suite let its token expire: before the reset,
  // not counted in the token-per-address window the case may be counting.
  await api.admin.get('/v1/sessions')
  // Fresh windows for every case where the target allows it: spending a per-address
  // limit also starves the next case's requests from this address.
  const fresh = await time.resetRateLimits()
  if (SHARED_SCOPES.has(kind) && !fresh) {
    notVerified(`${kind} is shared with every request from this machine: exact counts need a fresh window (--time control)`)
  }
  return prepare(limit)
}

function expectAllAnswered(statuses: number[], expected: number, what: string): void {
  const unexpected = statuses.map((status, index) => ({ request: index + 1, status })).filter(({ status }) => status !== expected)
  expect(unexpected.slice(0, 5), `${what} must all answer ${expected}`).toEqual([])
}

async function checkLimit(limit: RateLimit): Promise<void> {
  const driver = await prepareDriver(limit)
  const started = Date.now()
  const sent = await sendMany(driver, limit.limit, limit.window_seconds)
  if ('tooSlow' in sent) notVerified(sent.tooSlow)
  const over = await driver.send(limit.limit)
  if (Date.now() - started >= limit.window_seconds * 1000) {
    notVerified(`sending ${limit.limit} requests took longer than the ${limit.window_seconds} s window`)
  }
  expectAllAnswered(sent.statuses, driver.expectedStatus, `requests 1..${limit.limit}`)
  expectProblem(over, 429, 'rate_limited')
}

/**
 * The window's edges: request 1 alone in second S, the rest of the limit from S + 1 on,
 * the 429's Retry-After naming the end E = S + window; refused in second E − 1, and at E
 * two requests pass — a whole new window, where a sliding one would have freed request 1's
 * place only.
 */
async function checkWindowEdges(limit: RateLimit): Promise<void> {
  requireExactInstants()
  if (limit.window_seconds < 4) notVerified(`a ${limit.window_seconds} s window leaves no second between its first request, the rest and its end`)
  const driver = await prepareDriver(limit)
  const send = (index: number) => driver.send(index)
  const before = Math.floor((await time.now()).getTime() / 1000)
  expect((await send(0)).status, 'request 1').toBe(driver.expectedStatus)
  const after = Math.floor((await time.now()).getTime() / 1000)
  await time.advance(1)
  const rest = await sendMany({ ...driver, send: (index) => send(index + 1) }, limit.limit - 1, limit.window_seconds - 2)
  if ('tooSlow' in rest) notVerified(rest.tooSlow)
  expectAllAnswered(rest.statuses, driver.expectedStatus, `requests 2..${limit.limit}`)

  const { response: over, second } = await answeredWithinOneSecond(() => send(limit.limit))
  expectProblem(over, 429, 'rate_limited')
  const end = second + Number(over.headers['retry-after'])
  expect(end - limit.window_seconds, `the window (ending at ${end} by Retry-After) began in the second of request 1, ${before}..${after}`)
    .toBeGreaterThanOrEqual(before)
  expect(end - limit.window_seconds, `the window (ending at ${end} by Retry-After) began in the second of request 1, ${before}..${after}`)
    .toBeLessThanOrEqual(after)
  await atSecond(end - 1, async () => expectProblem(await send(limit.limit + 1), 429, 'rate_limited'))
  await atSecond(end, async () => {
    for (const index of [limit.limit + 2, limit.limit + 3]) {
      expect((await send(index)).status, `request ${index - limit.limit - 1} of the next window, at its very start`).toBe(driver.expectedStatus)
    }
  })
}

describe('DISC-005 declared rate limits are the real ones', () => {
  for (const limit of declared) {
    const name = `DISC-005 ${limit.scope} per ${limit.per}: request ${limit.limit} of a window succeeds, the next is 429`
    it(name, () => checkLimit(limit), timeoutFor(limit))
    const edges = `DISC-005 ERR-010 ${limit.scope} per ${limit.per}: the window is fixed, from the second of its first request to exactly ${limit.window_seconds} s later — refused in its last second, whole again at its end`
    it(edges, () => checkWindowEdges(limit), timeoutFor(limit))
  }

  if (declared.length === 0) {
    it('DISC-005 the target declares no rate limits', () => notApplicable('discovery declares no rate limits'))
  }
})
