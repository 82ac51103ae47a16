// DISC-005: every declared rate limit is enforced exactly — request number `limit` of a
// window succeeds, request `limit + 1` is 429. One case per entry discovery declares.
import { describe, expect, it } from 'vitest'
import { expectProblem, notApplicable, notVerified, target, time, type RateLimit } from '../harness/index.ts'
import { DRIVERS, SHARED_SCOPES, sendMany } from './rate-limit-drivers.ts'

// A document without rate_limits fails DISC-001; here it simply declares none.
const declared = target.discovery.rate_limits ?? []
/** Big limits take a while to spend: the case may take that long, the window decides. */
const timeoutFor = (limit: RateLimit) => 30_000 + limit.limit * 100

async function checkLimit(limit: RateLimit): Promise<void> {
  const kind = `${limit.scope}/${limit.per}`
  const prepare = DRIVERS[kind]
  if (!prepare) notVerified(`no way to drive a ${kind} limit`)
  // Fresh windows for every case where the target allows it: spending a per-address
  // limit also starves the next case's requests from this address.
  const fresh = await time.resetRateLimits()
  if (SHARED_SCOPES.has(kind) && !fresh) {
    notVerified(`${kind} is shared with every request from this machine: exact counts need a fresh window (--time control)`)
  }
  const driver = await prepare(limit)
  const started = Date.now()
  const sent = await sendMany(driver, limit.limit, limit.window_seconds)
  if ('tooSlow' in sent) notVerified(sent.tooSlow)
  const over = await driver.send(limit.limit)
  if (Date.now() - started >= limit.window_seconds * 1000) {
    notVerified(`sending ${limit.limit} requests took longer than the ${limit.window_seconds} s window`)
  }
  const unexpected = sent.statuses
    .map((status, index) => ({ request: index + 1, status }))
    .filter(({ status }) => status !== driver.expectedStatus)
  expect(unexpected.slice(0, 5), `requests 1..${limit.limit} must all answer ${driver.expectedStatus}`).toEqual([])
  expectProblem(over, 429, 'rate_limited')
}

describe('DISC-005 declared rate limits are the real ones', () => {
  for (const limit of declared) {
    const name = `DISC-005 ${limit.scope} per ${limit.per}: request ${limit.limit} of a window succeeds, the next is 429`
    it(name, () => checkLimit(limit), timeoutFor(limit))
  }

  if (declared.length === 0) {
    it('DISC-005 the target declares no rate limits', () => notApplicable('discovery declares no rate limits'))
  }
})
