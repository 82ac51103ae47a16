/**
 * The mock's one source of time: real time plus a controllable offset.
 *
 * Nothing else in the mock reads Date.now(), so advancing this clock (the control
 * extension's POST /__control/clock) moves every expiry, window and timestamp together.
 */
export interface Clock {
  /** Current time in epoch milliseconds (real time + offset). */
  now(): number
  /** Current time in whole epoch seconds (floored), the unit of JWT claims. */
  nowSeconds(): number
  /** Moves time forward by `seconds` (≥ 0) and notifies advance listeners. */
  advance(seconds: number): void
  /** The total offset added to real time, in seconds. */
  offsetSeconds(): number
  /** Drops the offset: back to real time. */
  reset(): void
  /** Registers a listener called after every advance/reset; returns an unsubscribe function. */
  onChange(listener: () => void): () => void
}

export interface ClockOptions {
  /** Where real time comes from (tests pass a fixed source). */
  source?: () => number
  /** Initial offset in seconds. */
  offsetSeconds?: number
  /** Where the offset is kept, when not in the clock itself (a replica's, shared: mock/replication/shared-clock.ts). */
  cell?: OffsetCell
}

/** A clock's offset, in ms, kept outside the clock. */
export interface OffsetCell {
  readonly ms: number
  /** The clock advances or resets to `ms` (called after the move was checked). */
  move(ms: number): void
  /** Hands the cell the clock's listeners, for moves the cell learns of elsewhere. */
  onMoved?(notify: () => void): void
}

export function createClock(options: ClockOptions = {}): Clock {
  const source = options.source ?? Date.now
  const cell = options.cell ?? ownCell((options.offsetSeconds ?? 0) * 1000)
  const listeners = new Set<() => void>()
  const notify = (): void => {
    for (const listener of listeners) listener()
  }
  cell.onMoved?.(notify)
  return {
    now: () => source() + cell.ms,
    nowSeconds: () => Math.floor((source() + cell.ms) / 1000),
    advance(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) {
        throw new RangeError(`clock can only advance by a finite, non-negative number of seconds (got ${seconds})`)
      }
      cell.move(cell.ms + seconds * 1000)
      notify()
    },
    offsetSeconds: () => cell.ms / 1000,
    reset() {
      cell.move(0)
      notify()
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

function ownCell(initial: number): OffsetCell {
  const cell = {
    ms: initial,
    move: (ms: number) => {
      cell.ms = ms
    },
  }
  return cell
}
