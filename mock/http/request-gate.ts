// The one hook through which a mock that shares its state with other processes
// (mock/replication/) sees each request of a contract route: it waits until this process
// has every change acknowledged anywhere before the request arrived, runs the operation as
// one transaction, and commits what it changed before the answer leaves. Without a gate
// (the in-memory mock) the routes take none of these steps.

export interface RequestGate {
  /**
   * Before the request's first domain call. `change`: the operation may change state (any
   * method but GET and HEAD). Rejects (StoreUnavailableError) when the shared store cannot
   * be reached in time.
   */
  enter(change: boolean): Promise<Ticket>
}

export interface Ticket {
  /**
   * Authentication is done and the request's body comes next: a change lets other requests
   * in while its body arrives (its operation authenticates again inside `run`).
   */
  admitted(): void
  /**
   * Runs the operation. A change runs alone in this process, is committed before `run`
   * settles — also when the operation throws, since a refusal may change state (reuse of a
   * refresh token ends its session) — and is run again from the start when another replica
   * changed what it read meanwhile.
   */
  run<T>(operation: () => T | Promise<T>): Promise<T>
  /** The answer is being sent, or the request ended before `run`. Idempotent. */
  leave(): void
}
