// One process's part in a replicated mock: it keeps the local tables equal to the shared
// log and is the HTTP layer's request gate.
//
// - Every request first catches up: one round trip (shared by the requests that arrive
//   while it is on its way) brings the log entries after this process's cursor, applied
//   through the tables' own put/delete. So a request sees every change acknowledged by any
//   replica before it arrived.
// - Reads then run side by side. A change runs alone in this process (its writes are in the
//   shared tables before they are committed, and nobody may read them before), noting what
//   it reads; before it answers, its entry is committed by a script that appends it only
//   if no entry since the change began wrote anything it read. Otherwise the change is
//   taken back, the missing entries applied, and the change run again — so of fifty
//   refreshes of one token across replicas exactly one wins, and the others see it used.
import { StoreUnavailableError } from '../domain/errors.ts'
import type { RequestGate, Ticket } from '../http/request-gate.ts'
import { KEYED_TABLES } from '../store/table-specs.ts'
import { parseLoad, type LoadReply } from './loaded-state.ts'
import { SCRIPTS, type RedisLink } from './redis-link.ts'
import { ChangeTicket, ReadTicket } from './replica-tickets.ts'
import type { ReplicatedStore } from './replicated-store.ts'
import type { SharedClock } from './shared-clock.ts'
import { TablesLock } from './tables-lock.ts'
import { item, Transaction, type Entry, type Op, type WriterSlot } from './transaction.ts'

const STORE_LOST = 'The mock\'s shared store lost its state; the replica is joining it again.'

/** How often one change may meet other replicas' commits before it is answered 503. */
const MAX_ATTEMPTS = 64

export interface ReplicaOptions {
  link: RedisLink
  store: ReplicatedStore
  clock: SharedClock
  slot: WriterSlot
  /** Log entries Redis keeps for replicas that fell behind; beyond them, a replica loads everything. */
  logCap: number
  /** Told once when the store turns out not to be the one this replica joined. */
  onGone: () => void
}

type Reply = [state: 'ok' | 'conflict' | 'resync' | 'gone', head?: number, entries?: string[]]

/** A task run so that each caller gets a run that started after it asked (runs overlap at most once). */
function coalesce<T>(task: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | null = null
  let next: Promise<T> | null = null
  const start = (): Promise<T> => {
    const run = task().finally(() => {
      if (current === run) current = null
    })
    current = run
    return run
  }
  return () => {
    if (current === null) return start()
    next ??= current.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      next = null
      return start()
    })
    return next
  }
}

export class Replica implements RequestGate {
  /** The last log entry applied to this process's tables. */
  private applied = 0
  /** The store's identity, from its meta; '' until joined. */
  generation = ''
  private gone = false
  /** Reads side by side, a change alone; catch-ups that arrive during a change wait for it. */
  private readonly lock = new TablesLock()
  private readonly waitingFor: Array<{ seq: number; resume: () => void }> = []
  private readonly latest = coalesce(() => this.fetch())

  constructor(private readonly options: ReplicaOptions) {}

  async enter(change: boolean): Promise<Ticket> {
    await this.caughtUp()
    await this.lock.acquire(false)
    return change ? new ChangeTicket(this.lock, (operation, memo) => this.change(operation, memo)) : new ReadTicket(this.lock)
  }

  /** Runs `operation` as a change (alone in this process; committed before it settles). */
  change<T>(operation: () => T | Promise<T>, memo = new Map<string, unknown>()): Promise<T> {
    return this.exclusively(() => this.transact(operation, memo))
  }

  /** Runs `task` while nothing else in this process uses the tables. */
  async exclusively<T>(task: () => Promise<T>): Promise<T> {
    await this.lock.acquire(true)
    try {
      return await task()
    } finally {
      this.lock.release(true)
    }
  }

  /** Before joining a store (again): nothing applied, no identity, the clock at real time. */
  restart(): void {
    this.applied = 0
    this.generation = ''
    this.options.clock.setOffset(0)
  }

  /** Waits until this process has applied every entry committed before the call. */
  async caughtUp(): Promise<void> {
    if (this.gone) throw new StoreUnavailableError(STORE_LOST)
    const head = await this.latest()
    if (this.applied < head) await new Promise<void>((resume) => this.waitingFor.push({ seq: head, resume }))
  }

  /** Loads everything (joining, or after falling behind the log), unless a change holds the tables. */
  async reload(now = false): Promise<void> {
    const reply = (await this.options.link.run(SCRIPTS.load, KEYED_TABLES)) as LoadReply
    const loaded = parseLoad(reply)
    if (this.generation !== '' && loaded.generation !== this.generation) return this.lost()
    const install = (): void => {
      if (loaded.head < this.applied) return
      this.options.store.load(loaded)
      this.options.clock.setOffset(loaded.clockMs)
      this.applied = loaded.head
      this.generation = loaded.generation
      this.wake()
    }
    if (now) install()
    else this.lock.whenFree(install)
  }

  private async fetch(): Promise<number> {
    const cursor = this.applied
    const [state, head = 0, entries = []] = (await this.options.link.run(SCRIPTS.catchUp, [String(cursor), this.generation])) as Reply
    if (state === 'gone') this.lost()
    if (state === 'resync') {
      await this.reload()
      return head
    }
    this.lock.whenFree(() => this.applyEntries(cursor, entries))
    return head
  }

  /** A change's attempts until one commits; only while `exclusively`. `extraOps` go into its entry. */
  async transact<T>(operation: () => T | Promise<T>, memo: Map<string, unknown>, extraOps: readonly Op[] = []): Promise<T> {
    const { link, slot, logCap } = this.options
    for (let attempt = 1; ; attempt++) {
      const txn = new Transaction(this.applied, memo)
      // Whatever a change decides may depend on the time: a clock moved meanwhile is a conflict.
      txn.read(item.clock)
      let outcome: { value: T } | { error: unknown }
      slot.writer = txn
      try {
        outcome = { value: await operation() }
      } catch (error) {
        outcome = { error }
      } finally {
        slot.writer = null
      }
      for (const op of extraOps) txn.op(() => op)
      if (!txn.changed) return settle(outcome)
      const { entry, json, dependsOn } = txn.seal()
      let reply: Reply
      try {
        reply = (await link.run(SCRIPTS.commit, [String(txn.start), this.generation, dependsOn, json, String(logCap)])) as Reply
      } catch (error) {
        txn.undo()
        throw error
      }
      const [state, head = 0, missing = []] = reply
      if (state === 'ok') {
        // Others committed first, without touching what this change read: its entry goes after theirs here too.
        if (missing.length > 0) {
          txn.undo()
          this.applyEntries(txn.start, missing)
          this.applyEntry(entry)
        }
        this.applied = head
        this.wake()
        return settle(outcome)
      }
      txn.undo()
      if (state === 'conflict') this.applyEntries(txn.start, missing)
      else if (state === 'resync') await this.reload(true)
      else this.lost()
      if (attempt >= MAX_ATTEMPTS) {
        throw new StoreUnavailableError('Other replicas changed what this change reads faster than it could commit; retry shortly.')
      }
    }
  }

  private applyEntries(cursor: number, raws: readonly string[]): void {
    raws.forEach((raw, index) => {
      const seq = cursor + 1 + index
      if (seq !== this.applied + 1) return
      this.applyEntry(JSON.parse(raw) as Entry)
      this.applied = seq
    })
    this.wake()
  }

  private applyEntry(entry: Entry): void {
    for (const op of entry.o) {
      if (op[0] === 'k') this.options.clock.setOffset(Number(op[1]))
      else this.options.store.apply(op)
    }
  }

  private wake(): void {
    for (let index = this.waitingFor.length - 1; index >= 0; index--) {
      const waiter = this.waitingFor[index]!
      if (waiter.seq > this.applied) continue
      this.waitingFor.splice(index, 1)
      waiter.resume()
    }
  }

  private lost(): never {
    if (!this.gone) {
      this.gone = true
      this.options.onGone()
    }
    throw new StoreUnavailableError(STORE_LOST)
  }

  /** Called by the bootstrap once it joined the store (again): it serves from it. */
  rejoined(): void {
    this.gone = false
  }
}

function settle<T>(outcome: { value: T } | { error: unknown }): T {
  if ('error' in outcome) throw outcome.error
  return outcome.value
}
