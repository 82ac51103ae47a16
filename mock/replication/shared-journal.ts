// The control extension's journal, one for all replicas: a capped Redis list, written
// before each answer leaves (so the next request, to any replica, finds it) and cleared by
// a full reset. A journal that cannot be written does not fail the request it describes.
import type { Clock } from '../clock.ts'
import { JOURNAL_CAPACITY, type Journal, type JournalEntry } from '../control/journal.ts'
import { KEY_PREFIX, type RedisLink } from './redis-link.ts'

const KEY = `${KEY_PREFIX}journal`

export function createSharedJournal(link: RedisLink, clock: Clock, onError: (error: Error) => void): Journal {
  return {
    async record(entry) {
      const line = JSON.stringify({ ...entry, time: new Date(clock.now()).toISOString() })
      try {
        await link.command(['RPUSH', KEY, line])
        await link.command(['LTRIM', KEY, String(-JOURNAL_CAPACITY), '-1'])
      } catch (error) {
        onError(error as Error)
      }
    },
    async entries() {
      return ((await link.command(['LRANGE', KEY, '0', '-1'])) as string[]).map((line) => JSON.parse(line) as JournalEntry)
    },
    async clear() {
      await link.command(['DEL', KEY])
    },
  }
}
