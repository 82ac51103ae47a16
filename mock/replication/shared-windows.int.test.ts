// The rate limiter's cases (mock/domain/rate-limiter-cases.ts) on the windows every
// replica counts in: a real Redis, emptied before each case.
import { describe } from 'vitest'
import { describeRateLimiter } from '../domain/rate-limiter-cases.ts'
import { redisLinkForFile } from './redis-link-for-tests.ts'
import { createSharedWindows } from './shared-windows.ts'

const link = await redisLinkForFile('the shared rate-limit windows')

describe.skipIf(link === undefined)('windows in Redis', () => {
  describeRateLimiter(
    'shared',
    async () => {
      await link!().command(['FLUSHDB'])
      return createSharedWindows(link!(), { writer: null })
    },
    { knowsSize: false },
  )
})
