// The seeding lock is let go by a compare-and-delete: a replica whose seeding outlived the
// lock's 60 s must not delete the lock another replica has taken since.
import { beforeEach, describe, expect, it } from 'vitest'
import { KEY_PREFIX, SCRIPTS } from './redis-link.ts'
import { redisLinkForFile } from './redis-link-for-tests.ts'

const LOCK = `${KEY_PREFIX}seeding`
const link = await redisLinkForFile('letting the seeding lock go')

describe.skipIf(link === undefined)('releasing a lock', () => {
  beforeEach(() => link!().command(['FLUSHDB']))

  it.each([
    ['held by this process: deleted', 'mine', 1, null],
    ['taken by another since: kept', 'theirs', 0, 'theirs'],
    ['already gone: nothing to do', undefined, 0, null],
  ])('%s', async (_, holder, deleted, left) => {
    if (holder !== undefined) await link!().command(['SET', LOCK, holder, 'PX', '60000'])
    expect(await link!().run(SCRIPTS.releaseLock, [LOCK, 'mine'])).toBe(deleted)
    expect(await link!().command(['GET', LOCK])).toBe(left)
  })
})
