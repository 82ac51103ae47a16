// The Store of a replica: this process's memory tables, kept equal to the shared state.
// Reads go straight to them (the domain stays synchronous and fast); inside a change (the
// one transaction the replica runs at a time) every read is noted for the commit's check
// and every write becomes an op of the change's log entry, with a way to take it back.
// Entries other replicas committed are applied through the tables' own put/delete, so
// their versions move and whatever is kept from the rows (policy lists, compiled filters,
// kept answers) is dropped as it is in a single process.
import { deepFreeze } from '../domain/policies.ts'
import { createMemoryStore } from '../store/memory-store.ts'
import type { RecordTable, Store, StoreSnapshot, StoredRecord, Table, TableName } from '../store/store.ts'
import { KEYED_TABLES, TABLE_SPECS, type KeyedTableName, type TableSpec } from '../store/table-specs.ts'
import { item, type Op, type Transaction } from './transaction.ts'

/** Who is changing the state right now: the replica's one running change, or nobody. */
export interface WriterSlot {
  writer: Transaction | null
}

/** The one fixture snapshot every replica shares: snapshot() names it, restore() brings it back. */
const SHARED_SNAPSHOT: StoreSnapshot = Object.freeze({ tables: Object.freeze({}), seq: 0 })

function changing(slot: WriterSlot, what: string): Transaction {
  if (slot.writer === null) throw new Error(`${what} outside a change: a replicated store is changed only inside one`)
  return slot.writer
}

function indexItems(table: string, spec: TableSpec<unknown>, row: unknown): string[] {
  if (row === undefined || row === null) return []
  return Object.entries(spec.indexes).flatMap(([index, valuesOf]) => valuesOf(row).map((value) => item.index(table, index, value)))
}

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

class TrackedTable<T, I extends string> implements Table<T, I> {
  constructor(
    private readonly name: KeyedTableName,
    private readonly inner: Table<T, I>,
    private readonly spec: TableSpec<T>,
    private readonly slot: WriterSlot,
    private readonly store: ReplicatedStore,
  ) {}

  get size(): number {
    this.slot.writer?.read(item.table(this.name))
    return this.inner.size
  }

  get version(): number {
    return this.inner.version
  }

  get(key: string): T | undefined {
    const row = this.inner.get(key)
    const txn = this.slot.writer
    if (txn !== null) this.noteRow(txn, key, row)
    return row
  }

  lookup(index: I, value: string): T[] {
    const rows = this.inner.lookup(index, value)
    const txn = this.slot.writer
    if (txn !== null) {
      txn.read(item.index(this.name, index, value))
      txn.read(item.epoch(this.name))
      for (const row of rows) txn.keepBefore(item.row(this.name, this.spec.keyOf(row)), row)
    }
    return rows
  }

  *values(): IterableIterator<T> {
    const txn = this.slot.writer
    if (txn === null) return yield* this.inner.values()
    txn.read(item.table(this.name))
    for (const row of this.inner.values()) {
      txn.keepBefore(item.row(this.name, this.spec.keyOf(row)), row)
      yield row
    }
  }

  put(entity: T): void {
    const txn = changing(this.slot, `put into ${this.name}`)
    const key = this.spec.keyOf(entity)
    const row = item.row(this.name, key)
    if (txn.first(row)) {
      this.noteRow(txn, key, this.inner.get(key))
      const before = txn.beforeOf(row)
      txn.onUndo(() => (before === null ? this.inner.delete(key) : this.inner.put(reviveRow(this.name, before) as T)))
    }
    this.inner.put(entity)
    txn.put(this.name, key, () => {
      const value = this.inner.get(key)
      if (value === undefined) return null
      this.wroteRow(txn, row, value)
      return ['p', this.name, key, JSON.stringify(value)]
    })
  }

  delete(key: string): boolean {
    const txn = changing(this.slot, `delete from ${this.name}`)
    const row = item.row(this.name, key)
    const existing = this.inner.get(key)
    if (txn.first(row)) {
      this.noteRow(txn, key, existing)
      const before = txn.beforeOf(row)
      if (before !== null) this.keepOrder(txn)
      txn.onUndo(() => (before === null ? this.inner.delete(key) : this.inner.put(reviveRow(this.name, before) as T)))
    }
    txn.settle(this.name, key)
    txn.op(() => {
      this.wroteRow(txn, row, undefined)
      return ['d', this.name, key]
    })
    return this.inner.delete(key)
  }

  /** Housekeeping each replica does by itself (see Table.purge); Redis forgets the row too. */
  purge(key: string): boolean {
    this.store.purged(this.name, key)
    return this.inner.delete(key)
  }

  clear(): void {
    const txn = changing(this.slot, `clear ${this.name}`)
    this.store.wholeTableChange(txn, this.name)
    txn.op(() => ['c', this.name])
    this.inner.clear()
  }

  /** A row the change read: its item (and its table's epoch) are checked at commit. */
  private noteRow(txn: Transaction, key: string, value: T | undefined): void {
    const row = item.row(this.name, key)
    txn.read(row)
    txn.read(item.epoch(this.name))
    txn.keepBefore(row, value)
  }

  /** The row, its table and every index bucket it left or joined. */
  private wroteRow(txn: Transaction, row: string, final: T | undefined): void {
    txn.wrote(row)
    txn.wrote(item.table(this.name))
    const before = txn.beforeOf(row)
    const spec = this.spec as TableSpec<unknown>
    for (const bucket of [...indexItems(this.name, spec, before === null ? undefined : JSON.parse(before)), ...indexItems(this.name, spec, final)]) {
      txn.wrote(bucket)
    }
  }

  /** A deleted row put back by an undo goes to the end of the table: restore the order. */
  private keepOrder(txn: Transaction): void {
    if (!txn.first(`order of ${this.name}`)) return
    const order = [...this.inner.values()].map((row) => this.spec.keyOf(row))
    txn.onceAfterUndo(() => {
      const rows = order.map((key) => this.inner.get(key)).filter((row): row is T => row !== undefined)
      const others = [...this.inner.values()].filter((row) => !order.includes(this.spec.keyOf(row)))
      this.inner.clear()
      for (const row of [...rows, ...others]) this.inner.put(row)
    })
  }
}

class TrackedRecords implements RecordTable {
  constructor(
    private readonly inner: RecordTable,
    private readonly slot: WriterSlot,
    private readonly store: ReplicatedStore,
  ) {}

  get size(): number {
    this.slot.writer?.read(item.table('records'))
    return this.inner.size
  }

  get(dataset: string, id: string): StoredRecord | undefined {
    const txn = this.slot.writer
    if (txn !== null) {
      txn.read(item.record(dataset, id))
      txn.read(item.datasetEpoch(dataset))
      txn.read(item.epoch('records'))
    }
    return this.inner.get(dataset, id)
  }

  insert(dataset: string, entry: StoredRecord): void {
    const txn = this.change(dataset, entry.record.id)
    this.inner.insert(dataset, entry)
    txn.onUndo(() => this.inner.delete(dataset, entry.record.id))
    const json = JSON.stringify(entry)
    txn.op(() => ['ri', dataset, entry.record.id, json])
  }

  replace(dataset: string, entry: StoredRecord): void {
    const txn = this.change(dataset, entry.record.id)
    const previous = this.inner.get(dataset, entry.record.id)
    this.inner.replace(dataset, entry)
    if (previous !== undefined) txn.onUndo(() => this.inner.replace(dataset, previous))
    const json = JSON.stringify(entry)
    txn.op(() => ['rr', dataset, entry.record.id, json])
  }

  delete(dataset: string, id: string): boolean {
    const txn = this.change(dataset, id)
    const previous = this.inner.get(dataset, id)
    if (previous === undefined) return false
    this.inner.delete(dataset, id)
    txn.onUndo(() => this.reinsert(dataset, [previous]))
    txn.op(() => ['rd', dataset, id])
    return true
  }

  scan(dataset: string, afterSeq: number, visit: (entry: StoredRecord) => boolean): void {
    const txn = this.slot.writer
    if (txn !== null) {
      txn.read(item.dataset(dataset))
      txn.read(item.epoch('records'))
    }
    this.inner.scan(dataset, afterSeq, visit)
  }

  /** This replica's own count: every change it applies (its own, another's, an undo) moves it. */
  version(dataset: string): number {
    return this.inner.version(dataset)
  }

  dropDataset(dataset: string): void {
    const txn = changing(this.slot, 'drop a dataset')
    const entries = this.entriesOf(dataset)
    for (const dependency of [item.dataset(dataset), item.datasetEpoch(dataset), item.table('records')]) {
      txn.read(dependency)
      txn.wrote(dependency)
    }
    this.inner.dropDataset(dataset)
    txn.onUndo(() => this.reinsert(dataset, entries))
    txn.op(() => ['rx', dataset])
  }

  clear(): void {
    const txn = changing(this.slot, 'clear the records')
    this.store.wholeTableChange(txn, 'records')
    txn.op(() => ['c', 'records'])
    this.inner.clear()
  }

  private change(dataset: string, id: string): Transaction {
    const txn = changing(this.slot, `change a record of ${dataset}`)
    for (const dependency of [item.record(dataset, id), item.dataset(dataset), item.table('records')]) {
      txn.read(dependency)
      txn.wrote(dependency)
    }
    txn.read(item.datasetEpoch(dataset))
    txn.read(item.epoch('records'))
    return txn
  }

  private entriesOf(dataset: string): StoredRecord[] {
    const entries: StoredRecord[] = []
    this.inner.scan(dataset, 0, (entry) => entries.push(entry) > 0)
    return entries
  }

  /** Puts records back in their places (insert only appends: the later ones step aside). */
  private reinsert(dataset: string, entries: readonly StoredRecord[]): void {
    const first = Math.min(...entries.map((entry) => entry.seq))
    const later: StoredRecord[] = []
    this.inner.scan(dataset, first, (entry) => later.push(entry) > 0)
    for (const entry of later) this.inner.delete(dataset, entry.record.id)
    for (const entry of [...entries, ...later].sort((a, b) => a.seq - b.seq)) this.inner.insert(dataset, entry)
  }
}

/** The state a replica loads when it joins (or fell too far behind), as load.lua reads it. */
export interface LoadedState {
  seq: number
  tables: Record<TableName, unknown[]>
  fixtures: Record<TableName, unknown[]>
}

export class ReplicatedStore implements Store {
  private readonly inner = createMemoryStore()
  private seq = 0
  /** This replica's copy of the shared fixture snapshot (the memory store's own format). */
  private fixtures: StoreSnapshot = this.inner.snapshot([])
  private purges: Array<[KeyedTableName, string]> = []

  readonly keys
  readonly users
  readonly sessions
  readonly refreshTokens
  readonly policies
  readonly datasets
  readonly records: RecordTable

  constructor(
    private readonly slot: WriterSlot,
    /** Told of the rows purged by a sweep, batched, to forget them in the shared state too. */
    private readonly onPurged: (rows: Array<[KeyedTableName, string]>) => void = () => undefined,
  ) {
    const tracked = <N extends KeyedTableName>(name: N) =>
      new TrackedTable(name, this.inner[name] as unknown as Table<unknown, string>, TABLE_SPECS[name] as TableSpec<unknown>, slot, this) as unknown as Store[N]
    this.keys = tracked('keys')
    this.users = tracked('users')
    this.sessions = tracked('sessions')
    this.refreshTokens = tracked('refreshTokens')
    this.policies = tracked('policies')
    this.datasets = tracked('datasets')
    this.records = new TrackedRecords(this.inner.records, slot, this)
  }

  nextSeq(): number {
    const txn = changing(this.slot, 'a new sequence number')
    txn.read(item.seq)
    txn.wrote(item.seq)
    const previous = this.seq
    txn.onUndo(() => (this.seq = previous))
    const next = ++this.seq
    txn.op(() => ['q', String(next)])
    return next
  }

  /**
   * Inside a change, takes the shared fixture snapshot (every replica's copy and Redis's);
   * outside one, only names it. Either way the handle restores the shared one.
   */
  snapshot(tables: TableName[]): StoreSnapshot {
    const txn = this.slot.writer
    if (txn === null) return SHARED_SNAPSHOT
    for (const table of tables) {
      txn.read(item.table(table))
      txn.settle(table)
    }
    txn.wrote(item.fixtures)
    const previous = this.fixtures
    txn.onUndo(() => (this.fixtures = previous))
    this.takeFixtures(tables)
    txn.op(() => ['S', ...tables])
    return SHARED_SNAPSHOT
  }

  restore(snapshot: StoreSnapshot, tables: TableName[]): void {
    if (snapshot !== SHARED_SNAPSHOT) throw new Error('a replicated store restores only its shared fixture snapshot')
    const txn = changing(this.slot, 'restore the fixture snapshot')
    txn.read(item.fixtures)
    for (const table of tables) this.wholeTableChange(txn, table)
    this.inner.restore(this.fixtures, tables)
    txn.op(() => ['R', ...tables])
  }

  /** A clear or restore: its table (every row, index and epoch) changes, undone from a copy. */
  wholeTableChange(txn: Transaction, table: TableName): void {
    for (const dependency of [item.table(table), item.epoch(table)]) {
      txn.read(dependency)
      txn.wrote(dependency)
    }
    txn.settle(table)
    const saved = this.inner.snapshot([table])
    txn.onUndo(() => this.inner.restore(saved, [table]))
  }

  purged(table: KeyedTableName, key: string): void {
    if (this.purges.push([table, key]) > 1) return
    queueMicrotask(() => {
      const rows = this.purges
      this.purges = []
      this.onPurged(rows)
    })
  }

  /** Applies one op of an entry another replica (or this one, redone) committed. */
  apply(op: Op): void {
    const [kind, first = '', second = '', third = ''] = op
    switch (kind) {
      case 'p': {
        const table = first as KeyedTableName
        ;(this.inner[table] as unknown as Table<unknown>).put(reviveRow(table, third))
        return
      }
      case 'd':
        ;(this.inner[first as KeyedTableName] as unknown as Table<unknown>).delete(second)
        return
      case 'c':
        if (first === 'records') this.inner.records.clear()
        else (this.inner[first as KeyedTableName] as unknown as Table<unknown>).clear()
        return
      case 'ri':
        this.inner.records.insert(first, reviveRecord(third))
        return
      case 'rr':
        this.inner.records.replace(first, reviveRecord(third))
        return
      case 'rd':
        this.inner.records.delete(first, second)
        return
      case 'rx':
        this.inner.records.dropDataset(first)
        return
      case 'q':
        this.seq = Math.max(this.seq, Number(first))
        return
      case 'S':
        this.takeFixtures(op.slice(1) as TableName[])
        return
      case 'R':
        this.inner.restore(this.fixtures, op.slice(1) as TableName[])
        return
      default:
        // 'k' (the clock), 'L' (rate-limit windows) and 'M' (meta) live elsewhere.
        return
    }
  }

  /** Replaces everything with a loaded state (rows in their order, records by seq). */
  load(state: LoadedState): void {
    this.fill(this.inner, state.tables)
    const scratch = createMemoryStore()
    this.fill(scratch, state.fixtures)
    this.fixtures = scratch.snapshot(ALL_TABLES)
    this.seq = state.seq
  }

  /** Back to empty, for a store that is seeded again. */
  clearAll(): void {
    this.load({ seq: 0, tables: emptyTables(), fixtures: emptyTables() })
  }

  private fill(target: Store, tables: Record<TableName, unknown[]>): void {
    for (const name of KEYED_TABLES) {
      const table = target[name] as unknown as Table<unknown>
      table.clear()
      for (const row of tables[name]) table.put(row)
    }
    target.records.clear()
    for (const [dataset, entries] of tables.records as Array<[string, StoredRecord[]]>) {
      for (const entry of entries) target.records.insert(dataset, entry)
    }
  }

  private takeFixtures(tables: TableName[]): void {
    const taken = this.inner.snapshot(tables)
    this.fixtures = { tables: { ...this.fixtures.tables, ...taken.tables }, seq: 0 }
  }
}

const ALL_TABLES: TableName[] = [...KEYED_TABLES, 'records']

function emptyTables(): Record<TableName, unknown[]> {
  return Object.fromEntries(ALL_TABLES.map((name) => [name, []])) as unknown as Record<TableName, unknown[]>
}
