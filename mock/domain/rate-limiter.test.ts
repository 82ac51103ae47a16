import { describe, expect, it } from 'vitest'
import { createClock } from '../clock.ts'
import { DEFAULT_RATE_LIMITS } from './defaults.ts'
import { describeRateLimitConfig, describeRateLimiter } from './rate-limiter-cases.ts'
import { createMemoryWindows, createRateLimiter } from './rate-limiter.ts'
import { defaultSeams } from './seams.ts'
import type { RateLimitConfig } from './types.ts'

describeRateLimiter('memory', createMemoryWindows, { knowsSize: true })

describe('rate limit configuration', describeRateLimitConfig)

describe('a limit of 10⁹ (the benchmarks raise data so)', () => {
  it('is placed by bisecting the windowExhausted seam, not by counting up to it', () => {
    const probed: number[] = []
    const windowExhausted = (count: number, limit: number): boolean => {
      probed.push(count)
      return count >= limit
    }
    const data: RateLimitConfig = { scope: 'data', per: 'subject', limit: 1_000_000_000, windowSeconds: 60 }
    createRateLimiter(createClock(), [...DEFAULT_RATE_LIMITS.filter((rule) => rule.scope !== 'data'), data], { ...defaultSeams, windowExhausted })
    expect(probed.length).toBeLessThan(200)
    expect(probed).toContain(data.limit)
    expect(probed).toContain(data.limit - 1)
  })
})
