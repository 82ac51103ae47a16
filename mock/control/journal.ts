// The control extension's request journal: what the mock answered, oldest first, for
// debugging suite runs and client tests. It holds method, path (never the query string),
// status, the authenticated subject, the time and the fault that changed the request, if
// any — no header, body, token or secret ever. Replicas keep one journal in their shared
// store (mock/replication/shared-journal.ts), which answers later: hence the promises.
import type { components } from '../../openapi/generated/schema.d.ts'
import type { Clock } from '../clock.ts'

export type JournalEntry = components['schemas']['ControlRequestEntry']

export interface Journal {
  /** Done before the answer leaves, so the next request anywhere finds it. */
  record(entry: Omit<JournalEntry, 'time'>): void | Promise<void>
  entries(): JournalEntry[] | Promise<JournalEntry[]>
  clear(): void | Promise<void>
}

/** The journal's length: a long-running mock keeps the latest entries only. */
export const JOURNAL_CAPACITY = 1000

export function createJournal(clock: Clock, capacity = JOURNAL_CAPACITY): Journal {
  let entries: JournalEntry[] = []
  return {
    record(entry) {
      entries.push({ ...entry, time: new Date(clock.now()).toISOString() })
      if (entries.length > capacity) entries = entries.slice(-capacity)
    },
    entries: () => [...entries],
    clear() {
      entries = []
    },
  }
}
