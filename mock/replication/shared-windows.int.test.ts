// The rate limiter's cases (mock/domain/rate-limiter-cases.ts) on the windows every
// replica counts in: a real Redis, emptied before each case.
import { afterAll, beforeAll, describe } from 'vitest'
import { describeRateLimiter } from '../domain/rate-limiter-cases.ts'
import { startRedis, type RedisServer } from '../../support/redis-server.ts'
import { componentOrSkip, REDIS_SERVER } from '../../support/system-components.ts'
import { openRedisLink, type RedisLink } from './redis-link.ts'
import { createSharedWindows } from './shared-windows.ts'

const redisServer = await componentOrSkip(REDIS_SERVER, 'the shared rate-limit windows')
let redis: RedisServer | undefined
let link: RedisLink | undefined

beforeAll(async () => {
  if (redisServer === undefined) return
  redis = await startRedis(redisServer)
  link = await openRedisLink(redis.url, { onOutage: () => undefined, onRecovery: () => undefined })
})
afterAll(async () => {
  await link?.close()
  await redis?.remove()
})

describe.skipIf(redisServer === undefined)('windows in Redis', () => {
  describeRateLimiter(
    'shared',
    async () => {
      await link!.command(['FLUSHDB'])
      return createSharedWindows(link!, { writer: null })
    },
    { knowsSize: false },
  )
})
