// A Redis of the test file's own and one link to it, for the tests of what replicas keep in
// Redis: started before the file's tests and removed after them. Where no redis-server is
// installed the answer is undefined and the file's tests are skipped with one printed line
// (support/system-components.ts).
import { afterAll, beforeAll } from 'vitest'
import { startRedis, type RedisServer } from '../../support/redis-server.ts'
import { componentOrSkip, REDIS_SERVER } from '../../support/system-components.ts'
import { openRedisLink, type RedisLink } from './redis-link.ts'

/** Call at a file's top level; `what` names the tests for the skip line. */
export async function redisLinkForFile(what: string): Promise<(() => RedisLink) | undefined> {
  const binary = await componentOrSkip(REDIS_SERVER, what)
  if (binary === undefined) return undefined
  let redis: RedisServer | undefined
  let link: RedisLink | undefined
  beforeAll(async () => {
    redis = await startRedis(binary)
    link = await openRedisLink(redis.url, { onOutage: () => undefined, onRecovery: () => undefined })
  })
  afterAll(async () => {
    await link?.close()
    await redis?.remove()
  })
  return () => link!
}
