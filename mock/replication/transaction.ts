// One attempt of a change, as the replicated store sees it: the items it read (checked at
// commit: no entry committed after its start may have written one), the operations it
// made (the log entry every replica applies), and how to take them back from this
// process's tables when the commit does not go through.

/**
 * A log entry's operations. Rows travel as their JSON text, so every replica (and Redis)
 * stores exactly the same bytes:
 *   ['p', table, key, row] put · ['d', table, key] delete · ['c', table] clear
 *   ['ri' | 'rr', dataset, id, entry] record insert / replace · ['rd', dataset, id] · ['rx', dataset] drop
 *   ['q', seq] sequence · ['k', ms] clock offset · ['S' | 'R', ...tables] fixture snapshot taken / restored
 *   ['L'] rate-limit windows cleared · ['M', field, value, ...] the store's meta (its seeding)
 */
export type Op = readonly [kind: string, ...args: string[]]

export interface Entry {
  /** Items the change wrote: what later commits are checked against. */
  i: string[]
  o: Op[]
}

/**
 * What a read or write depends on, as strings compared for equality: a row, an index
 * bucket, a whole table (its size and iteration), a table's epoch (clear, restore), a
 * dataset's records, the sequence, the clock, the fixture snapshot.
 */
const SEP = '\u0000'
export const item = {
  row: (table: string, key: string) => `r${SEP}${table}${SEP}${key}`,
  index: (table: string, index: string, value: string) => `i${SEP}${table}${SEP}${index}${SEP}${value}`,
  table: (table: string) => `t${SEP}${table}`,
  epoch: (table: string) => `e${SEP}${table}`,
  record: (dataset: string, id: string) => `r${SEP}records${SEP}${dataset}${SEP}${id}`,
  dataset: (dataset: string) => `d${SEP}${dataset}`,
  datasetEpoch: (dataset: string) => `x${SEP}${dataset}`,
  seq: 's',
  clock: 'k',
  fixtures: 'f',
} as const

/** Who is changing the state right now: the replica's one running change, or nobody. */
export interface WriterSlot {
  writer: Transaction | null
}

/** The running change, for a write that only a change may make. */
export function changing(slot: WriterSlot, what: string): Transaction {
  if (slot.writer === null) throw new Error(`${what} outside a change: a replicated store is changed only inside one`)
  return slot.writer
}

export class Transaction {
  private readonly reads = new Set<string>()
  private readonly written = new Set<string>()
  /** Made at commit, from the rows as they are then (a row may change after its put). */
  private readonly ops: Array<() => Op | null> = []
  private readonly undos: Array<() => void> = []
  private readonly afterUndo = new Set<() => void>()
  private readonly before = new Map<string, string | null>()
  private readonly firsts = new Set<string>()
  /** Per table, the put ops that will carry their row's value as it is at commit. */
  private readonly puts = new Map<string, Map<string, () => void>>()

  constructor(
    /** The last log entry this process had applied when the attempt began. */
    readonly start: number,
    /** Outcomes of effects outside the store (rate-limit hits), kept across attempts of one request. */
    readonly memo: Map<string, unknown>,
  ) {}

  read(dependency: string): void {
    this.reads.add(dependency)
  }

  wrote(dependency: string): void {
    this.written.add(dependency)
  }

  /** Remembers a row as it was when the change first met it (before any change in place). */
  keepBefore(row: string, value: unknown): void {
    if (!this.before.has(row)) this.before.set(row, value === undefined ? null : JSON.stringify(value))
  }

  /** The row's JSON before the change (null: it did not exist). */
  beforeOf(row: string): string | null {
    return this.before.get(row) ?? null
  }

  /** True the first time it is asked about `what` (a row's first write: the moment to say how to undo it). */
  first(what: string): boolean {
    if (this.firsts.has(what)) return false
    this.firsts.add(what)
    return true
  }

  /**
   * A put of a row: one op per row however often it is put, carrying the row as it is at
   * commit — unless something that depends on its value at this point (a delete of it, a
   * clear, snapshot or restore of its table) comes first: then the op keeps the value it
   * has then, and a later put makes an op of its own.
   */
  put(table: string, key: string, make: () => Op | null): void {
    let pending = this.puts.get(table)
    if (pending === undefined) this.puts.set(table, (pending = new Map()))
    if (pending.has(key)) return
    let fixed: { op: Op | null } | undefined
    pending.set(key, () => (fixed ??= { op: make() }))
    this.ops.push(() => (fixed ??= { op: make() }).op)
  }

  /** Fixes the pending puts of a table (or of one row) at their current values. */
  settle(table: string, key?: string): void {
    const pending = this.puts.get(table)
    if (pending === undefined) return
    for (const [row, fix] of pending) {
      if (key !== undefined && row !== key) continue
      fix()
      pending.delete(row)
    }
  }

  op(make: () => Op | null): void {
    this.ops.push(make)
  }

  onUndo(undo: () => void): void {
    this.undos.push(undo)
  }

  /** Runs once after every undo (re-ordering a table whose deleted rows came back). */
  onceAfterUndo(fix: () => void): void {
    this.afterUndo.add(fix)
  }

  get changed(): boolean {
    return this.ops.length > 0
  }

  /** The log entry, and every item it depends on (a write depends on what it overwrites). */
  seal(): { entry: Entry; json: string; dependsOn: string } {
    const ops: Op[] = []
    for (const make of this.ops) {
      const op = make()
      if (op !== null) ops.push(op)
    }
    const entry: Entry = { i: [...this.written], o: ops }
    return { entry, json: JSON.stringify(entry), dependsOn: JSON.stringify([...new Set([...this.reads, ...this.written])]) }
  }

  /** Takes the attempt's changes back from this process's tables. */
  undo(): void {
    for (let index = this.undos.length - 1; index >= 0; index--) this.undos[index]!()
    for (const fix of this.afterUndo) fix()
  }
}
