// The lock over one replica's tables: reads side by side, a change alone. A change writes
// into the tables before its commit, and may be taken back, so nothing else may read them
// meanwhile; entries other replicas committed wait for it too (applied under it, they would
// mix with its uncommitted writes, and its undo would put back rows they had changed).

interface Waiter {
  exclusive: boolean
  grant: () => void
}

export class TablesLock {
  private readers = 0
  private exclusive = false
  private readonly queue: Waiter[] = []
  /** Work that arrived while a change held the tables: done when it ends. */
  private deferred: Array<() => void> = []

  acquire(exclusive: boolean): Promise<void> | void {
    if (this.queue.length === 0 && this.grantable(exclusive)) return this.grant(exclusive)
    return new Promise<void>((resolve) => this.queue.push({ exclusive, grant: resolve }))
  }

  release(exclusive: boolean): void {
    if (exclusive) {
      this.exclusive = false
      const deferred = this.deferred
      this.deferred = []
      for (const task of deferred) task()
    } else {
      this.readers--
    }
    while (this.queue.length > 0 && this.grantable(this.queue[0]!.exclusive)) {
      const waiter = this.queue.shift()!
      this.grant(waiter.exclusive)
      waiter.grant()
    }
  }

  /** Runs `task` now, or when the change that holds the tables ends. */
  whenFree(task: () => void): void {
    if (this.exclusive) this.deferred.push(task)
    else task()
  }

  private grantable(exclusive: boolean): boolean {
    return !this.exclusive && (!exclusive || this.readers === 0)
  }

  private grant(exclusive: boolean): void {
    if (exclusive) this.exclusive = true
    else this.readers++
  }
}
