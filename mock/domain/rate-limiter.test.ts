import { describe, expect, it } from 'vitest'
import { createClock } from '../clock.ts'
import { DEFAULT_RATE_LIMITS } from './defaults.ts'
import { RateLimitedError } from './errors.ts'
import { createRateLimiter } from './rate-limiter.ts'
import type { RateLimitConfig } from './types.ts'

function limiter(rules: RateLimitConfig[] = []) {
  const clock = createClock({ source: () => 1_900_000_000_000 })
  const all = [...DEFAULT_RATE_LIMITS.filter((rule) => !rules.some((r) => r.scope === rule.scope)), ...rules]
  return { clock, limiter: createRateLimiter(clock, all) }
}

const tokenRule: RateLimitConfig = { scope: 'token', per: 'credential', limit: 3, windowSeconds: 60 }

function refusal(run: () => unknown): RateLimitedError {
  try {
    run()
  } catch (error) {
    if (error instanceof RateLimitedError) return error
    throw error
  }
  throw new Error('expected RateLimitedError')
}

describe('rate limiter', () => {
  it('lets `limit` hits through, refuses hit limit + 1 with the headers’ numbers', () => {
    const { clock, limiter: rl } = limiter([tokenRule])
    expect(rl.consume('token', { credential: 'k' })).toEqual({ limit: 3, remaining: 2, resetSeconds: 60 })
    clock.advance(10)
    expect(rl.consume('token', { credential: 'k' })).toEqual({ limit: 3, remaining: 1, resetSeconds: 50 })
    expect(rl.consume('token', { credential: 'k' })).toEqual({ limit: 3, remaining: 0, resetSeconds: 50 })
    const error = refusal(() => rl.consume('token', { credential: 'k' }))
    expect(error).toMatchObject({ code: 'rate_limited', scope: 'token', retryAfterSeconds: 50, limit: 3, remaining: 0, resetSeconds: 50 })
  })

  it('opens the window at the first hit and accepts again after Retry-After', () => {
    const { clock, limiter: rl } = limiter([tokenRule])
    clock.advance(0.4)
    for (let i = 0; i < 3; i++) rl.consume('token', { credential: 'k' })
    clock.advance(59.5)
    const error = refusal(() => rl.consume('token', { credential: 'k' }))
    expect(error.retryAfterSeconds).toBe(1)
    clock.advance(error.retryAfterSeconds)
    expect(rl.consume('token', { credential: 'k' }).remaining).toBe(2)
  })

  it('is a fixed window from the start of the second of its first hit to exactly window seconds later', () => {
    const { clock, limiter: rl } = limiter([tokenRule])
    clock.advance(0.7)
    for (let i = 0; i < 3; i++) rl.consume('token', { credential: 'k' })
    clock.advance(59.299) // 0.001 s before the end: the second the first hit came in, plus 60 s
    expect(refusal(() => rl.consume('token', { credential: 'k' })).retryAfterSeconds).toBe(1)
    clock.advance(0.001)
    // At the end exactly: a new window with the whole limit (not one freed slot, as a sliding window would).
    expect([1, 2, 3].map(() => rl.consume('token', { credential: 'k' }).remaining)).toEqual([2, 1, 0])
  })

  it('counts Retry-After from the current second to the window end', () => {
    const { clock, limiter: rl } = limiter([tokenRule])
    for (let i = 0; i < 3; i++) rl.consume('token', { credential: 'k' })
    clock.advance(10.8)
    const { retryAfterSeconds } = refusal(() => rl.consume('token', { credential: 'k' }))
    expect(retryAfterSeconds).toBe(50)
    clock.advance(retryAfterSeconds - 1)
    expect(() => rl.consume('token', { credential: 'k' })).toThrow(RateLimitedError)
    clock.advance(1)
    expect(rl.consume('token', { credential: 'k' }).remaining).toBe(2)
  })

  it('opens no window by checking one', () => {
    const { limiter: rl } = limiter()
    rl.check('signin_failures', { account: 'a' })
    expect(rl.size).toBe(0)
  })

  it('never answers a Retry-After below one second', () => {
    const { clock, limiter: rl } = limiter([tokenRule])
    for (let i = 0; i < 3; i++) rl.consume('token', { credential: 'k' })
    clock.advance(59.999)
    expect(refusal(() => rl.consume('token', { credential: 'k' })).retryAfterSeconds).toBe(1)
  })

  it('keeps keys and scopes apart', () => {
    const { limiter: rl } = limiter([tokenRule])
    for (let i = 0; i < 3; i++) rl.consume('token', { credential: 'a' })
    expect(() => rl.consume('token', { credential: 'a' })).toThrow(RateLimitedError)
    expect(rl.consume('token', { credential: 'b' }).remaining).toBe(2)
    expect(rl.consume('data', { subject: 'a' }).limit).toBe(3000)
  })

  it('applies every rule of the scope and reports the tightest; a refusal counts nothing', () => {
    const { limiter: rl } = limiter([tokenRule, { scope: 'token', per: 'address', limit: 5, windowSeconds: 60 }])
    expect(rl.consume('token', { credential: 'a', address: 'ip' })).toMatchObject({ limit: 3, remaining: 2 })
    rl.consume('token', { credential: 'a', address: 'ip' })
    rl.consume('token', { credential: 'a', address: 'ip' })
    expect(() => rl.consume('token', { credential: 'a', address: 'ip' })).toThrow(RateLimitedError)
    // The refused hit did not use up the address window: two more for other credentials pass.
    expect(rl.consume('token', { credential: 'b', address: 'ip' })).toMatchObject({ limit: 5, remaining: 1 })
    expect(rl.consume('token', { credential: 'c', address: 'ip' })).toMatchObject({ limit: 5, remaining: 0 })
    expect(refusal(() => rl.consume('token', { credential: 'd', address: 'ip' })).limit).toBe(5)
  })

  it('check() refuses an exhausted window without counting', () => {
    const { limiter: rl } = limiter([{ scope: 'signin_failures', per: 'account', limit: 2, windowSeconds: 300 }])
    rl.check('signin_failures', { account: 'a' })
    rl.consume('signin_failures', { account: 'a' })
    rl.check('signin_failures', { account: 'a' })
    rl.consume('signin_failures', { account: 'a' })
    expect(refusal(() => rl.check('signin_failures', { account: 'a' })).retryAfterSeconds).toBe(300)
  })

  it('sweeps ended windows and clears', () => {
    const { clock, limiter: rl } = limiter([tokenRule])
    rl.consume('token', { credential: 'a' })
    clock.advance(30)
    rl.consume('token', { credential: 'b' })
    clock.advance(30)
    rl.sweep()
    expect(rl.size).toBe(1)
    rl.clear()
    expect(rl.size).toBe(0)
  })

  it.each<[string, RateLimitConfig[]]>([
    ['a zero limit', [{ scope: 'data', per: 'subject', limit: 0, windowSeconds: 60 }]],
    ['a missing scope', DEFAULT_RATE_LIMITS.filter((rule) => rule.scope !== 'data')],
  ])('rejects a configuration with %s', (_name, rules) => {
    const clock = createClock()
    const config = rules.length === 1 ? [...DEFAULT_RATE_LIMITS.filter((r) => r.scope !== 'data'), ...rules] : rules
    expect(() => createRateLimiter(clock, config)).toThrow(RangeError)
  })

  it('refuses to count a hit no rule applies to', () => {
    const { limiter: rl } = limiter()
    expect(() => rl.consume('data', { address: 'x' })).toThrow(RangeError)
  })
})
