// Rows travel between replicas as their JSON text (in the log's ops and Redis's tables), so
// every replica stores the same bytes. Parsed back, a row must be what the domain would
// have stored itself (policies frozen all through, records at their top), so that rows a
// replica applied behave exactly as the rows it wrote.
import { deepFreeze } from '../domain/policies.ts'
import type { StoredRecord } from '../store/store.ts'
import type { KeyedTableName } from '../store/table-specs.ts'

/** A row parsed from its JSON as the domain would have stored it (policies frozen all through). */
export function reviveRow(table: KeyedTableName, json: string): unknown {
  const row = JSON.parse(json) as { policy?: unknown }
  if (table === 'policies') deepFreeze(row.policy)
  return row
}

export function reviveRecord(json: string): StoredRecord {
  const { seq, record } = JSON.parse(json) as StoredRecord
  return { seq, record: Object.freeze(record) }
}
