// The control extension's request journal: what the mock answered, oldest first, for
// debugging suite runs. It holds method, path (never the query string), status, the
// authenticated subject and the time — no header, body, token or secret ever.
import type { Clock } from '../clock.ts'
import type { PrincipalSubject } from '../domain/contract.ts'

export interface JournalEntry {
  method: string
  path: string
  status: number
  subject: PrincipalSubject | null
  time: string
}

export interface Journal {
  record(entry: Omit<JournalEntry, 'time'>): void
  entries(): JournalEntry[]
  clear(): void
}

/** Keeps the latest `capacity` entries so a long-running mock does not grow without bound. */
export function createJournal(clock: Clock, capacity = 1000): Journal {
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
