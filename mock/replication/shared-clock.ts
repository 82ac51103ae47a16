// The control clock of a replica: the mock's own clock over an offset every replica shares.
// Moving it is a change like any other (one op in the log, committed before the control
// call answers); reading it is local, so `now()` stays as cheap as in a single process.
import { createClock, type Clock, type OffsetCell } from '../clock.ts'
import { item, type WriterSlot } from './transaction.ts'

export interface SharedClock extends Clock {
  /** Applies an offset another replica committed (or one a resync loaded). */
  setOffset(ms: number): void
}

export function createSharedClock(source: () => number, slot: WriterSlot): SharedClock {
  let notify = (): void => undefined
  const cell = {
    ms: 0,
    move(next: number) {
      const txn = slot.writer
      if (txn === null) throw new Error('the clock moved outside a change: a replicated clock moves only inside one')
      txn.read(item.clock)
      txn.wrote(item.clock)
      const previous = cell.ms
      txn.onUndo(() => (cell.ms = previous))
      cell.ms = next
      txn.op(() => ['k', String(cell.ms)])
    },
    onMoved(listeners: () => void) {
      notify = listeners
    },
  } satisfies OffsetCell
  return {
    ...createClock({ source, cell }),
    setOffset(ms) {
      if (ms === cell.ms) return
      cell.ms = ms
      notify()
    },
  }
}
