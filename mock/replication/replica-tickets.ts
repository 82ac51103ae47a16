// What the HTTP layer holds for one request on a replica (see RequestGate): the tables held
// shared from the moment the request enters, then — for a change — let go while its body
// arrives and held alone while it runs and commits.
import type { Ticket } from '../http/request-gate.ts'
import type { TablesLock } from './tables-lock.ts'

/** Runs an operation as a change: alone in this process, committed before it settles. */
export type RunChange = <T>(operation: () => T | Promise<T>, memo: Map<string, unknown>) => Promise<T>

/** A read: holds the tables (shared) from entering until its answer goes. */
export class ReadTicket implements Ticket {
  private held = true

  constructor(private readonly lock: TablesLock) {}

  admitted(): void {}

  async run<T>(operation: () => T | Promise<T>): Promise<T> {
    return operation()
  }

  leave(): void {
    if (!this.held) return
    this.held = false
    this.lock.release(false)
  }
}

/** A change: shared while it authenticates, nothing while its body arrives, alone while it runs. */
export class ChangeTicket implements Ticket {
  private shared = true
  private running = false
  /** Kept across the change's attempts (a rate-limit hit counts once however often it runs). */
  private readonly memo = new Map<string, unknown>()

  constructor(
    private readonly lock: TablesLock,
    private readonly change: RunChange,
  ) {}

  admitted(): void {
    if (!this.shared) return
    this.shared = false
    this.lock.release(false)
  }

  async run<T>(operation: () => T | Promise<T>): Promise<T> {
    this.admitted()
    this.running = true
    return this.change(operation, this.memo)
  }

  leave(): void {
    if (!this.running) this.admitted()
  }
}
