/**
 * The control clock's behaviour as one table of cases, run against every kind of clock:
 * the process's own (clock.test.ts) and the replicas' shared one
 * (mock/replication/shared-clock.test.ts).
 */
import { describe, expect, it, vi } from 'vitest'
import type { Clock } from './clock.ts'

/** A clock over the given real-time source, with no offset yet. */
export type ClockFactory = (source: () => number) => Clock

export function describeClock(kind: string, make: ClockFactory): void {
  describe(`${kind} clock`, () => {
    const fixed = 1_900_000_000_123

    it('is real time plus the offset, in ms and whole seconds', () => {
      const clock = make(() => fixed)
      clock.advance(10)
      expect(clock.now()).toBe(fixed + 10_000)
      expect(clock.nowSeconds()).toBe(Math.floor((fixed + 10_000) / 1000))
      expect(clock.offsetSeconds()).toBe(10)
    })

    it('advances, accumulates and resets to real time', () => {
      const clock = make(() => fixed)
      clock.advance(3600)
      clock.advance(1.5)
      expect(clock.now()).toBe(fixed + 3_601_500)
      expect(clock.offsetSeconds()).toBe(3601.5)
      clock.reset()
      expect(clock.now()).toBe(fixed)
    })

    it('follows the real time source', () => {
      let real = fixed
      const clock = make(() => real)
      clock.advance(5)
      real += 1000
      expect(clock.now()).toBe(fixed + 6000)
    })

    it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses to advance by %s', (seconds) => {
      const clock = make(() => fixed)
      expect(() => clock.advance(seconds)).toThrow(RangeError)
      expect(clock.now()).toBe(fixed)
    })

    it('notifies listeners on advance and reset until unsubscribed', () => {
      const clock = make(() => fixed)
      const listener = vi.fn()
      const unsubscribe = clock.onChange(listener)
      clock.advance(1)
      clock.reset()
      expect(listener).toHaveBeenCalledTimes(2)
      unsubscribe()
      clock.advance(1)
      expect(listener).toHaveBeenCalledTimes(2)
    })
  })
}
