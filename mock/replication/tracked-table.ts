// A keyed table as the domain sees it on a replica: reads go straight to this process's
// memory table; inside a change each read is noted (the row, the index bucket or the whole
// table it depended on, checked at commit) and each write becomes an op of the change's
// log entry, with the row as it was first met kept to take the write back.
import type { Table, TableName } from '../store/store.ts'
import type { KeyedTableName, TableSpec } from '../store/table-specs.ts'
import { reviveRow } from './row-json.ts'
import { changing, item, type Transaction, type WriterSlot } from './transaction.ts'

/** What a tracked table leaves to its store: the changes that reach past its own rows. */
export interface TableOwner {
  /** A clear or restore of a whole table (its rows, index buckets and epoch). */
  wholeTableChange(txn: Transaction, table: TableName): void
  /** A row a sweep purged here, to be forgotten in the shared state too. */
  purged(table: KeyedTableName, key: string): void
}

function indexItems(table: string, spec: TableSpec<unknown>, row: unknown): string[] {
  if (row === undefined || row === null) return []
  return Object.entries(spec.indexes).flatMap(([index, valuesOf]) => valuesOf(row).map((value) => item.index(table, index, value)))
}

export class TrackedTable<T, I extends string> implements Table<T, I> {
  constructor(
    private readonly name: KeyedTableName,
    private readonly inner: Table<T, I>,
    private readonly spec: TableSpec<T>,
    private readonly slot: WriterSlot,
    private readonly store: TableOwner,
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
    this.firstWrite(txn, key, row)
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
    this.firstWrite(txn, key, row)
    // A row that was there before the change comes back at the table's end when the change
    // is taken back, whether this delete or an earlier put of it met the row first.
    if (txn.beforeOf(row) !== null) this.keepOrder(txn)
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

  /** The change's first write of a row: it depends on the row, and takes it back to what it was. */
  private firstWrite(txn: Transaction, key: string, row: string): void {
    if (!txn.first(row)) return
    this.noteRow(txn, key, this.inner.get(key))
    const before = txn.beforeOf(row)
    txn.onUndo(() => (before === null ? this.inner.delete(key) : this.inner.put(reviveRow(this.name, before) as T)))
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
