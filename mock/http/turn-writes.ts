// Answers written together at the end of the event loop's turn instead of each as soon as
// it is decided. A socket write whose reader sleeps pays for waking it: in the kept-list
// lane's profile the socket write (`writev`) was ~60 % of busy time, and it cost more per
// request the slower the server was between two writes (BENCHMARKS.md §1b: 22.7 µs per
// request in the lane against 12.9 µs in bare node:http, for the same bytes). Written back
// to back once every request of the turn was read and decided, only the first write of a
// turn finds its reader asleep. The same change in a bare node:http server: see §1b.
// Order is kept: writes run in the order they were queued. Node's HTTP server keeps a
// connection's answers in order whichever ends first, but a write straight to the socket —
// the answer to a request the parser cannot read (client-errors.ts) — would overtake an
// answer still queued, so the app queues those here too (app.ts).

/** Queues a write for this turn's check phase (setImmediate), after the requests its poll phase read. */
export type TurnWrite = (write: () => void) => void

/** A queue of writes; each must handle its own failure (a throw would end the turn's batch). */
export function createTurnWrites(): TurnWrite {
  let queued: (() => void)[] = []
  const flush = (): void => {
    const writes = queued
    queued = []
    for (const write of writes) write()
  }
  return (write) => {
    if (queued.push(write) === 1) setImmediate(flush)
  }
}
