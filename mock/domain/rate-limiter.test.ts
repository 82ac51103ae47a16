import { describe } from 'vitest'
import { describeRateLimitConfig, describeRateLimiter } from './rate-limiter-cases.ts'
import { createMemoryWindows } from './rate-limiter.ts'

describeRateLimiter('memory', createMemoryWindows, { knowsSize: true })

describe('rate limit configuration', describeRateLimitConfig)
