// The Store of a replica: this process's memory tables, kept equal to the shared state.
// Reads go straight to them (the domain stays synchronous and fast); inside a change (the
// one transaction the replica runs at a time) every read is noted for the commit's check
// and every write becomes an op of the change's log entry, with a way to take it back —
// per table in tracked-table.ts and tracked-records.ts; here what spans tables (the
// sequence, the fixture snapshot, a whole table cleared or restored, purges).
// Entries other replicas committed are applied through the tables' own put/delete, so
// their versions move and whatever is kept from the rows (policy lists, compiled filters,
// kept answers) is dropped as it is in a single process.
import { createMemoryStore } from '../store/memory-store.ts'
import type { RecordTable, Store, StoreSnapshot, StoredRecord, Table, TableName } from '../store/store.ts'
import { KEYED_TABLES, TABLE_SPECS, type KeyedTableName, type TableSpec } from '../store/table-specs.ts'
import type { LoadedState } from './loaded-state.ts'
import { reviveRecord, reviveRow } from './row-json.ts'
import { TrackedRecords } from './tracked-records.ts'
import { TrackedTable, type TableOwner } from './tracked-table.ts'
import { changing, item, type Op, type Transaction, type WriterSlot } from './transaction.ts'

/** The one fixture snapshot every replica shares: snapshot() names it, restore() brings it back. */
const SHARED_SNAPSHOT: StoreSnapshot = Object.freeze({ tables: Object.freeze({}), seq: 0 })

export class ReplicatedStore implements Store, TableOwner {
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
