/**
 * In-memory Store: Maps in insertion order, secondary indexes kept on every put/delete,
 * records per dataset in an array ordered by seq (binary search for cursors).
 */
import type {
  RecordTable, Store, StoreSnapshot, StoredDataset, StoredKey, StoredPolicy, StoredRecord,
  StoredRefreshToken, StoredSession, StoredUser, Table, TableName,
} from './store.ts'
import { TABLE_SPECS, type TableSpec } from './table-specs.ts'

type IndexKeys<T> = (entity: T) => readonly string[]

class MemoryTable<T, I extends string = never> implements Table<T, I> {
  private readonly rows = new Map<string, T>()
  private readonly indexes = new Map<I, Map<string, Set<string>>>()
  /** What each row was indexed under when put: callers may mutate a row before putting it again. */
  private readonly indexedUnder = new Map<string, Array<[I, string]>>()
  version = 0

  private readonly keyOf: (entity: T) => string
  private readonly indexDefs: Partial<Record<I, IndexKeys<T>>>

  constructor(spec: TableSpec<T>) {
    this.keyOf = spec.keyOf
    this.indexDefs = spec.indexes as Partial<Record<I, IndexKeys<T>>>
    for (const name of Object.keys(this.indexDefs) as I[]) this.indexes.set(name, new Map())
  }

  get size(): number {
    return this.rows.size
  }

  get(key: string): T | undefined {
    return this.rows.get(key)
  }

  put(entity: T): void {
    this.version += 1
    const key = this.keyOf(entity)
    this.unindex(key)
    this.rows.set(key, entity)
    if (this.indexes.size === 0) return
    const entries: Array<[I, string]> = []
    for (const [name, bucket] of this.indexes) {
      for (const value of (this.indexDefs[name] as IndexKeys<T>)(entity)) {
        let keys = bucket.get(value)
        if (keys === undefined) bucket.set(value, (keys = new Set()))
        keys.add(key)
        entries.push([name, value])
      }
    }
    this.indexedUnder.set(key, entries)
  }

  delete(key: string): boolean {
    this.version += 1
    this.unindex(key)
    return this.rows.delete(key)
  }

  purge(key: string): boolean {
    return this.delete(key)
  }

  values(): IterableIterator<T> {
    return this.rows.values()
  }

  lookup(index: I, value: string): T[] {
    const keys = this.indexes.get(index)?.get(value)
    if (keys === undefined) return []
    const found: T[] = []
    for (const key of keys) {
      const row = this.rows.get(key)
      if (row !== undefined) found.push(row)
    }
    return found
  }

  clear(): void {
    this.version += 1
    this.rows.clear()
    this.indexedUnder.clear()
    for (const bucket of this.indexes.values()) bucket.clear()
  }

  private unindex(key: string): void {
    for (const [name, value] of this.indexedUnder.get(key) ?? []) {
      const bucket = this.indexes.get(name)!
      const keys = bucket.get(value)
      keys?.delete(key)
      if (keys?.size === 0) bucket.delete(value)
    }
    this.indexedUnder.delete(key)
  }
}

/** Index of the first entry whose seq is greater than `seq` (entries sorted by seq). */
function firstAfter(entries: readonly StoredRecord[], seq: number): number {
  let low = 0
  let high = entries.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (entries[middle]!.seq <= seq) low = middle + 1
    else high = middle
  }
  return low
}

class MemoryRecordTable implements RecordTable {
  private readonly ordered = new Map<string, StoredRecord[]>()
  private readonly byId = new Map<string, Map<string, StoredRecord>>()
  private count = 0
  /** One counter for every dataset, so no version repeats for a name, whatever was dropped. */
  private changes = 0
  /** Dataset → `changes` at its last change (kept after a drop, a few bytes per name). */
  private readonly changedAt = new Map<string, number>()
  /** `changes` at the last clear: the version of every dataset not changed since. */
  private clearedAt = 0

  get size(): number {
    return this.count
  }

  get(dataset: string, id: string): StoredRecord | undefined {
    return this.byId.get(dataset)?.get(id)
  }

  insert(dataset: string, entry: StoredRecord): void {
    let list = this.ordered.get(dataset)
    let ids = this.byId.get(dataset)
    if (list === undefined || ids === undefined) {
      this.ordered.set(dataset, (list = []))
      this.byId.set(dataset, (ids = new Map()))
    }
    const last = list[list.length - 1]
    if (last !== undefined && last.seq >= entry.seq) throw new RangeError('record seq must increase')
    list.push(entry)
    ids.set(entry.record.id, entry)
    this.count++
    this.changed(dataset)
  }

  replace(dataset: string, entry: StoredRecord): void {
    const list = this.ordered.get(dataset)
    const ids = this.byId.get(dataset)
    const position = list === undefined ? -1 : firstAfter(list, entry.seq - 1)
    if (list === undefined || ids === undefined || list[position]?.record.id !== entry.record.id) {
      throw new RangeError(`record ${entry.record.id} is not stored in ${dataset}`)
    }
    list[position] = entry
    ids.set(entry.record.id, entry)
    this.changed(dataset)
  }

  delete(dataset: string, id: string): boolean {
    const entry = this.byId.get(dataset)?.get(id)
    const list = this.ordered.get(dataset)
    if (entry === undefined || list === undefined) return false
    list.splice(firstAfter(list, entry.seq - 1), 1)
    this.byId.get(dataset)!.delete(id)
    this.count--
    this.changed(dataset)
    return true
  }

  scan(dataset: string, afterSeq: number, visit: (entry: StoredRecord) => boolean): void {
    const list = this.ordered.get(dataset)
    if (list === undefined) return
    for (let i = firstAfter(list, afterSeq); i < list.length; i++) if (!visit(list[i]!)) return
  }

  version(dataset: string): number {
    return this.changedAt.get(dataset) ?? this.clearedAt
  }

  dropDataset(dataset: string): void {
    this.count -= this.ordered.get(dataset)?.length ?? 0
    this.ordered.delete(dataset)
    this.byId.delete(dataset)
    this.changed(dataset)
  }

  clear(): void {
    this.ordered.clear()
    this.byId.clear()
    this.count = 0
    this.clearedAt = ++this.changes
    this.changedAt.clear()
  }

  private changed(dataset: string): void {
    this.changedAt.set(dataset, ++this.changes)
  }

  entries(): Array<[string, StoredRecord[]]> {
    return [...this.ordered]
  }
}

export class MemoryStore implements Store {
  keys = new MemoryTable<StoredKey, 'secret'>(TABLE_SPECS.keys)
  users = new MemoryTable<StoredUser, 'email'>(TABLE_SPECS.users)
  sessions = new MemoryTable<StoredSession, 'subject'>(TABLE_SPECS.sessions)
  refreshTokens = new MemoryTable<StoredRefreshToken, 'session'>(TABLE_SPECS.refreshTokens)
  policies = new MemoryTable<StoredPolicy, 'subject'>(TABLE_SPECS.policies)
  datasets = new MemoryTable<StoredDataset>(TABLE_SPECS.datasets)
  records = new MemoryRecordTable()
  private seq = 0

  nextSeq(): number {
    return ++this.seq
  }

  snapshot(tables: TableName[]): StoreSnapshot {
    const copies: Partial<Record<TableName, unknown>> = {}
    for (const name of tables) {
      copies[name] = structuredClone(name === 'records' ? this.records.entries() : [...this[name].values()])
    }
    return { tables: copies, seq: this.seq }
  }

  restore(snapshot: StoreSnapshot, tables: TableName[]): void {
    for (const name of tables) {
      // Clone again so the snapshot survives any number of restores.
      const rows = structuredClone(snapshot.tables[name] ?? [])
      if (name === 'records') {
        this.records.clear()
        for (const [dataset, entries] of rows as Array<[string, StoredRecord[]]>) {
          for (const entry of entries) this.records.insert(dataset, { seq: entry.seq, record: Object.freeze(entry.record) })
        }
        continue
      }
      const table = this[name] as unknown as Table<unknown, string>
      table.clear()
      for (const row of rows as unknown[]) table.put(row)
    }
    // Sequence numbers never go back: ids and cursors issued after the snapshot stay unique.
    this.seq = Math.max(this.seq, snapshot.seq)
  }
}

export function createMemoryStore(): Store {
  return new MemoryStore()
}
