// The records as the domain sees them on a replica: like a tracked table, but a record
// depends on its dataset (a scan reads the whole dataset, a drop changes it), and an undo
// must put records back at their places in their dataset's order by seq.
import type { RecordTable, StoredRecord } from '../store/store.ts'
import type { TableOwner } from './tracked-table.ts'
import { changing, item, type Transaction, type WriterSlot } from './transaction.ts'

export class TrackedRecords implements RecordTable {
  constructor(
    private readonly inner: RecordTable,
    private readonly slot: WriterSlot,
    private readonly store: Pick<TableOwner, 'wholeTableChange'>,
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
