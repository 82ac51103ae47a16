// What a case sees from http.ts when the target hangs, trickles, cuts the connection or
// sends an endless body, and when the run's budget runs out in the middle of a request or
// a wait. The hostile servers are the ones the hardening tests put in front of verify.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startHostileTarget, type Behaviour, type HostileTarget } from '../../hardening/support/hostile-target.ts'
import { CLEANUP_GRACE_MS, type TargetConfig } from './target-config.ts'

const config = { timeoutMs: 300, deadline: Number.MAX_SAFE_INTEGER } as TargetConfig
// The harness reads its configuration from vitest's provide/inject in a verify run.
vi.mock('./target.ts', () => ({ targetConfig: () => config }))

let hostile: HostileTarget | undefined
afterEach(async () => {
  await hostile?.close()
  hostile = undefined
})

/**
 * A fresh http.ts against a fresh hostile target. budget.ts arms its deadline once per
 * worker, on the first request or wait, so `msToDeadline` counts from just before that.
 */
async function harnessAgainst(behaviour: Behaviour, settings: { timeoutMs: number; msToDeadline: number }) {
  hostile = await startHostileTarget(behaviour, 'http://127.0.0.1:9', 0)
  vi.resetModules()
  const [{ send }, { pause }] = await Promise.all([import('./http.ts'), import('./budget.ts')])
  Object.assign(config, { baseUrl: hostile.url, timeoutMs: settings.timeoutMs, deadline: Date.now() + settings.msToDeadline })
  return { send: () => send({ method: 'GET', path: '/v1/keys', unchecked: true }), pause }
}

describe('a target that misbehaves', () => {
  it.each([
    ['hang', 300, /^GET \/v1\/keys: no complete response within 300 ms \(--timeout-ms\)$/],
    // A byte every 100 ms never trips the idle timeouts; the whole exchange is bounded.
    ['trickle', 300, /^GET \/v1\/keys: no complete response within 300 ms \(--timeout-ms\)$/],
    ['cut mid-response', 300, /^GET \/v1\/keys: the target closed the connection mid-exchange$/],
    // The size limit, not the timeout, ends it.
    ['huge body', 20_000, /^GET \/v1\/keys: the response body exceeded 8 MiB$/],
  ] as const)('%s: the request fails with a TargetError that says why', async (behaviour, timeoutMs, message) => {
    const harness = await harnessAgainst(behaviour, { timeoutMs, msToDeadline: 600_000 })
    await expect(harness.send()).rejects.toMatchObject({ name: 'TargetError', message: expect.stringMatching(message) })
  })
})

describe('the run budget running out', () => {
  it('aborts a request under way long before its own timeout', async () => {
    // Outside a case (as here) the harness's bookkeeping gets the clean-up grace on top.
    const harness = await harnessAgainst('hang', { timeoutMs: 600_000, msToDeadline: 500 - CLEANUP_GRACE_MS })
    await expect(harness.send()).rejects.toMatchObject({ name: 'BudgetExhaustedError', message: expect.stringMatching(/--budget/) })
    expect(hostile!.hostileRequests()).toBe(1)
  })

  it('aborts a response body still trickling in', async () => {
    const harness = await harnessAgainst('trickle', { timeoutMs: 600_000, msToDeadline: 500 - CLEANUP_GRACE_MS })
    await expect(harness.send()).rejects.toMatchObject({ name: 'BudgetExhaustedError' })
  })

  it('sends nothing more once it has run out', async () => {
    const harness = await harnessAgainst('hang', { timeoutMs: 600_000, msToDeadline: -60_000 })
    await expect(harness.send()).rejects.toMatchObject({ name: 'BudgetExhaustedError' })
    expect(hostile!.hostileRequests()).toBe(0)
  })

  it('ends a wait (a rate limit waited out, --time wait) early', async () => {
    const harness = await harnessAgainst('hang', { timeoutMs: 300, msToDeadline: 200 - CLEANUP_GRACE_MS })
    await expect(harness.pause(600_000)).rejects.toMatchObject({ name: 'BudgetExhaustedError' })
  })
})
