// The seeding lock is let go by a compare-and-delete: a replica whose seeding outlived the
// lock's 60 s must not delete the lock another replica has taken since.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startRedis, type RedisServer } from '../../support/redis-server.ts'
import { componentOrSkip, REDIS_SERVER } from '../../support/system-components.ts'
import { KEY_PREFIX, openRedisLink, SCRIPTS, type RedisLink } from './redis-link.ts'

const redisServer = await componentOrSkip(REDIS_SERVER, 'letting the seeding lock go')
const LOCK = `${KEY_PREFIX}seeding`
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

describe.skipIf(redisServer === undefined)('releasing a lock', () => {
  beforeEach(() => link!.command(['FLUSHDB']))

  it.each([
    ['held by this process: deleted', 'mine', 1, null],
    ['taken by another since: kept', 'theirs', 0, 'theirs'],
    ['already gone: nothing to do', undefined, 0, null],
  ])('%s', async (_, holder, deleted, left) => {
    if (holder !== undefined) await link!.command(['SET', LOCK, holder, 'PX', '60000'])
    expect(await link!.run(SCRIPTS.releaseLock, [LOCK, 'mine'])).toBe(deleted)
    expect(await link!.command(['GET', LOCK])).toBe(left)
  })
})
