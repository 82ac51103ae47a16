/**
 * The rate limiter's behaviour as one table of cases, run against every kind of window
 * store: this process's memory (rate-limiter.test.ts) and the shared Redis windows
 * (mock/replication/shared-windows.int.test.ts). Each case awaits, so it holds for stores
 * that answer later as well as for those that answer at once.
 */
import { describe, expect, it } from 'vitest'
import { createClock, type Clock } from '../clock.ts'
import { DEFAULT_RATE_LIMITS } from './defaults.ts'
import { RateLimitedError } from './errors.ts'
import { createRateLimiter, type RateLimiter, type RateWindows } from './rate-limiter.ts'
import { defaultSeams, type Seams } from './seams.ts'
import type { RateLimitConfig } from './types.ts'

/** A fresh, empty window store for one case. */
export type WindowStoreFactory = () => RateWindows | Promise<RateWindows>

const tokenRule: RateLimitConfig = { scope: 'token', per: 'credential', limit: 3, windowSeconds: 60 }

async function refusal(run: () => unknown): Promise<RateLimitedError> {
  try {
    await run()
  } catch (error) {
    if (error instanceof RateLimitedError) return error
    throw error
  }
  throw new Error('expected RateLimitedError')
}

export function describeRateLimiter(engine: string, windowStore: WindowStoreFactory, options: { knowsSize: boolean }): void {
  async function limiter(rules: RateLimitConfig[] = [], replaced: Partial<Seams> = {}): Promise<{ clock: Clock; limiter: RateLimiter }> {
    const clock = createClock({ source: () => 1_900_000_000_000 })
    const all = [...DEFAULT_RATE_LIMITS.filter((rule) => !rules.some((r) => r.scope === rule.scope)), ...rules]
    return { clock, limiter: createRateLimiter(clock, all, { ...defaultSeams, ...replaced }, await windowStore()) }
  }

  describe(`rate limiter (${engine} windows)`, () => {
    it('lets `limit` hits through, refuses hit limit + 1 with the headers’ numbers', async () => {
      const { clock, limiter: rl } = await limiter([tokenRule])
      expect(await rl.consume('token', { credential: 'k' })).toEqual({ limit: 3, remaining: 2, resetSeconds: 60 })
      clock.advance(10)
      expect(await rl.consume('token', { credential: 'k' })).toEqual({ limit: 3, remaining: 1, resetSeconds: 50 })
      expect(await rl.consume('token', { credential: 'k' })).toEqual({ limit: 3, remaining: 0, resetSeconds: 50 })
      const error = await refusal(() => rl.consume('token', { credential: 'k' }))
      expect(error).toMatchObject({ code: 'rate_limited', scope: 'token', retryAfterSeconds: 50, limit: 3, remaining: 0, resetSeconds: 50 })
    })

    it('opens the window at the first hit and accepts again after Retry-After', async () => {
      const { clock, limiter: rl } = await limiter([tokenRule])
      clock.advance(0.4)
      for (let i = 0; i < 3; i++) await rl.consume('token', { credential: 'k' })
      clock.advance(59.5)
      const error = await refusal(() => rl.consume('token', { credential: 'k' }))
      expect(error.retryAfterSeconds).toBe(1)
      clock.advance(error.retryAfterSeconds)
      expect((await rl.consume('token', { credential: 'k' })).remaining).toBe(2)
    })

    it('is a fixed window from the start of the second of its first hit to exactly window seconds later', async () => {
      const { clock, limiter: rl } = await limiter([tokenRule])
      clock.advance(0.7)
      for (let i = 0; i < 3; i++) await rl.consume('token', { credential: 'k' })
      clock.advance(59.299) // 0.001 s before the end: the second the first hit came in, plus 60 s
      expect((await refusal(() => rl.consume('token', { credential: 'k' }))).retryAfterSeconds).toBe(1)
      clock.advance(0.001)
      // At the end exactly: a new window with the whole limit (not one freed slot, as a sliding window would).
      const remaining: number[] = []
      for (let i = 0; i < 3; i++) remaining.push((await rl.consume('token', { credential: 'k' })).remaining)
      expect(remaining).toEqual([2, 1, 0])
    })

    it('counts Retry-After from the current second to the window end', async () => {
      const { clock, limiter: rl } = await limiter([tokenRule])
      for (let i = 0; i < 3; i++) await rl.consume('token', { credential: 'k' })
      clock.advance(10.8)
      const { retryAfterSeconds } = await refusal(() => rl.consume('token', { credential: 'k' }))
      expect(retryAfterSeconds).toBe(50)
      clock.advance(retryAfterSeconds - 1)
      await refusal(() => rl.consume('token', { credential: 'k' }))
      clock.advance(1)
      expect((await rl.consume('token', { credential: 'k' })).remaining).toBe(2)
    })

    it('a replaced windowEnded seam that ends a window a second late decides alike', async () => {
      const windowEnded = (now: number, endsAt: number): boolean => Math.floor(now / 1000) > Math.floor(endsAt / 1000)
      const { clock, limiter: rl } = await limiter([tokenRule], { windowEnded })
      for (let i = 0; i < 3; i++) await rl.consume('token', { credential: 'k' })
      clock.advance(60.5)
      await refusal(() => rl.consume('token', { credential: 'k' }))
      clock.advance(0.5)
      expect((await rl.consume('token', { credential: 'k' })).remaining).toBe(2)
    })

    it('opens no window by checking one, unless a replaced windowOpensOnCheck seam says so', async () => {
      const failures: RateLimitConfig = { scope: 'signin_failures', per: 'account', limit: 1, windowSeconds: 60 }
      const contract = await limiter([failures])
      await contract.limiter.check('signin_failures', { account: 'a' })
      contract.clock.advance(59)
      await contract.limiter.consume('signin_failures', { account: 'a' })
      contract.clock.advance(2)
      // The window opened in the second of the failure (59 s), and ends 60 s later: still refusing at 61 s.
      expect((await refusal(() => contract.limiter.check('signin_failures', { account: 'a' }))).retryAfterSeconds).toBe(58)
      const broken = await limiter([failures], { windowOpensOnCheck: (scope) => scope === 'signin_failures' })
      await broken.limiter.check('signin_failures', { account: 'a' })
      broken.clock.advance(59)
      await broken.limiter.consume('signin_failures', { account: 'a' })
      broken.clock.advance(2)
      await broken.limiter.check('signin_failures', { account: 'a' })
    })

    it('never answers a Retry-After below one second', async () => {
      const { clock, limiter: rl } = await limiter([tokenRule])
      for (let i = 0; i < 3; i++) await rl.consume('token', { credential: 'k' })
      clock.advance(59.999)
      expect((await refusal(() => rl.consume('token', { credential: 'k' }))).retryAfterSeconds).toBe(1)
    })

    it('keeps keys and scopes apart', async () => {
      const { limiter: rl } = await limiter([tokenRule])
      for (let i = 0; i < 3; i++) await rl.consume('token', { credential: 'a' })
      await refusal(() => rl.consume('token', { credential: 'a' }))
      expect((await rl.consume('token', { credential: 'b' })).remaining).toBe(2)
      expect((await rl.consume('data', { subject: 'a' })).limit).toBe(3000)
    })

    it('applies every rule of the scope and reports the tightest; a refusal counts nothing', async () => {
      const { limiter: rl } = await limiter([tokenRule, { scope: 'token', per: 'address', limit: 5, windowSeconds: 60 }])
      expect(await rl.consume('token', { credential: 'a', address: 'ip' })).toMatchObject({ limit: 3, remaining: 2 })
      await rl.consume('token', { credential: 'a', address: 'ip' })
      await rl.consume('token', { credential: 'a', address: 'ip' })
      await refusal(() => rl.consume('token', { credential: 'a', address: 'ip' }))
      // The refused hit did not use up the address window: two more for other credentials pass.
      expect(await rl.consume('token', { credential: 'b', address: 'ip' })).toMatchObject({ limit: 5, remaining: 1 })
      expect(await rl.consume('token', { credential: 'c', address: 'ip' })).toMatchObject({ limit: 5, remaining: 0 })
      expect((await refusal(() => rl.consume('token', { credential: 'd', address: 'ip' }))).limit).toBe(5)
    })

    it('check() refuses an exhausted window without counting', async () => {
      const { limiter: rl } = await limiter([{ scope: 'signin_failures', per: 'account', limit: 2, windowSeconds: 300 }])
      await rl.check('signin_failures', { account: 'a' })
      await rl.consume('signin_failures', { account: 'a' })
      await rl.check('signin_failures', { account: 'a' })
      await rl.consume('signin_failures', { account: 'a' })
      expect((await refusal(() => rl.check('signin_failures', { account: 'a' }))).retryAfterSeconds).toBe(300)
    })

    it.each([
      ['never refuses', () => false, 10, 10],
      ['refuses one hit late', (count: number, limit: number) => count > limit, 4, 3],
    ])('a replaced windowExhausted seam that %s decides alike', async (_case, windowExhausted, passing) => {
      const { limiter: rl } = await limiter([tokenRule], { windowExhausted })
      for (let i = 0; i < passing; i++) await rl.consume('token', { credential: 'k' })
      if (passing === 4) await refusal(() => rl.consume('token', { credential: 'k' }))
    })

    // Shared windows expire in their store by themselves, which counts none of them here.
    if (options.knowsSize) it('opens no window by checking one (size)', async () => {
      const { limiter: rl } = await limiter()
      await rl.check('signin_failures', { account: 'a' })
      expect(rl.size).toBe(0)
    })

    if (options.knowsSize) it('sweeps ended windows and clears', async () => {
      const { clock, limiter: rl } = await limiter([tokenRule])
      await rl.consume('token', { credential: 'a' })
      clock.advance(30)
      await rl.consume('token', { credential: 'b' })
      clock.advance(30)
      rl.sweep()
      expect(rl.size).toBe(1)
      rl.clear()
      expect(rl.size).toBe(0)
    })

    it('refuses to count a hit no rule applies to', async () => {
      const { limiter: rl } = await limiter()
      expect(() => rl.consume('data', { address: 'x' })).toThrow(RangeError)
    })
  })
}

/** Configurations every window store refuses alike (they are checked before any window). */
export function describeRateLimitConfig(): void {
  it.each<[string, RateLimitConfig[]]>([
    ['a zero limit', [{ scope: 'data', per: 'subject', limit: 0, windowSeconds: 60 }]],
    ['a missing scope', DEFAULT_RATE_LIMITS.filter((rule) => rule.scope !== 'data')],
  ])('rejects a configuration with %s', (_name, rules) => {
    const clock = createClock()
    const config = rules.length === 1 ? [...DEFAULT_RATE_LIMITS.filter((r) => r.scope !== 'data'), ...rules] : rules
    expect(() => createRateLimiter(clock, config)).toThrow(RangeError)
  })
}
