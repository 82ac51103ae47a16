// A connection's writes made together at the end of the event loop's turn, instead of each
// as soon as an answer ends. A socket write whose reader sleeps pays for waking it: in the
// kept-list lane's profile the socket write (`writev`) was ~60 % of busy time, and it cost
// more per request the longer the server worked between two writes (BENCHMARKS.md §1b:
// 22.7 µs per request in the lane against 12.9 µs in bare node:http, for the same bytes).
// Written back to back once every request the turn read is decided, only the first write of
// a turn finds its reader asleep. The same change in a bare node:http server: see §1b.
// What is deferred is the socket's own write (its Writable `_write`/`_writev`, the stream's
// implementation hooks), so everything above it is unchanged: a connection's bytes keep
// their order, an answer ends as before, and its `finish` comes when the write is done. A
// path that closes a connection after writing must let the writes go first: `end()` or
// `destroySoon()`, never `destroy()` (client-errors.ts, fault-hook.ts).
import type { Socket } from 'node:net'

/** Queues a write for this turn's check phase (setImmediate), after the requests its poll phase read. */
export type TurnWrite = (write: () => void) => void

/** One queue of writes, run in the order they were queued; each must handle its own failure. */
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

/**
 * Makes `socket` write through `later`. A socket's write reports a failure through its
 * callback, never by throwing (a socket closed meanwhile: ERR_SOCKET_CLOSED to the callback),
 * so one connection's failure cannot cut the turn's batch short.
 */
export function writeAtTurnEnd(socket: Socket, later: TurnWrite): void {
  const write = socket._write
  const writev = socket._writev!
  socket._write = (chunk, encoding, callback) => later(() => write.call(socket, chunk, encoding, callback))
  socket._writev = (chunks, callback) => later(() => writev.call(socket, chunks, callback))
}
