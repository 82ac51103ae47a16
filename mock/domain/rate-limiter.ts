/**
 * Fixed-window rate limits (DISC-005), not sliding ones. A window opens at the start of the
 * second (epoch seconds) of the first hit counted for (scope, per, key) while none is open,
 * and ends exactly `windowSeconds` later: the first `limit` hits pass, later ones are
 * refused until it ends, and a hit at or after its end opens the next window. Whole-second
 * edges make the end a second a client can name: Retry-After counts the seconds to it.
 */
import type { Clock } from '../clock.ts'
import { RateLimitedError } from './errors.ts'
import { defaultSeams, type Seams } from './seams.ts'
import type { RateLimitConfig, RateLimitPer, RateLimitScope, RateLimitStatus } from './types.ts'

interface Window {
  startedAt: number
  endsAt: number
  count: number
}

export type RateLimitKeys = Partial<Record<RateLimitPer, string>>

export interface RateLimiter {
  /** Counts a hit in every applicable window, or throws RateLimitedError without counting any. */
  consume(scope: RateLimitScope, keys: RateLimitKeys): RateLimitStatus
  /** Throws RateLimitedError if an applicable window is exhausted; counts nothing. */
  check(scope: RateLimitScope, keys: RateLimitKeys): void
  /** Drops windows that have ended. */
  sweep(): void
  clear(): void
  readonly size: number
}

const SCOPES: readonly RateLimitScope[] = ['token', 'signin', 'signin_failures', 'data']

export function createRateLimiter(
  clock: Clock,
  rules: readonly RateLimitConfig[],
  seams: Pick<Seams, 'windowExhausted' | 'windowEnded' | 'windowOpensOnCheck'> = defaultSeams,
): RateLimiter {
  // Every scope is a contract requirement (ERR-011..013), so each needs at least one rule.
  for (const scope of SCOPES) {
    if (!rules.some((rule) => rule.scope === scope)) throw new RangeError(`rate limits must include the ${scope} scope`)
  }
  for (const rule of rules) {
    if (!Number.isInteger(rule.limit) || rule.limit < 1 || !(rule.windowSeconds > 0)) {
      throw new RangeError(`rate limit ${rule.scope}/${rule.per} needs limit ≥ 1 and windowSeconds > 0`)
    }
  }
  const windows = new Map<string, Window>()

  const applicable = (scope: RateLimitScope, keys: RateLimitKeys): Array<[RateLimitConfig, string]> => {
    const found: Array<[RateLimitConfig, string]> = []
    for (const rule of rules) {
      const key = keys[rule.per]
      if (rule.scope === scope && key !== undefined) found.push([rule, `${rule.scope}\u0000${rule.per}\u0000${key}`])
    }
    return found
  }

  /** The live window for a key, or undefined if none is open at `now`. */
  const liveWindow = (id: string, now: number): Window | undefined => {
    const window = windows.get(id)
    return window !== undefined && !seams.windowEnded(now, window.endsAt) ? window : undefined
  }

  const openWindow = (id: string, rule: RateLimitConfig, now: number): Window => {
    const startedAt = Math.floor(now / 1000) * 1000
    const window = { startedAt, endsAt: startedAt + rule.windowSeconds * 1000, count: 0 }
    windows.set(id, window)
    return window
  }

  const secondsLeft = (window: Window, now: number): number => Math.max(1, Math.ceil((window.endsAt - now) / 1000))

  const refuseIfExhausted = (rule: RateLimitConfig, window: Window | undefined, now: number): void => {
    if (window !== undefined && seams.windowExhausted(window.count, rule.limit)) {
      const wait = secondsLeft(window, now)
      throw new RateLimitedError(rule.scope, wait, rule.limit, 0, wait)
    }
  }

  return {
    consume(scope, keys) {
      const now = clock.now()
      const targets = applicable(scope, keys)
      if (targets.length === 0) throw new RangeError(`no ${scope} rate limit applies to ${Object.keys(keys).join(', ') || 'no keys'}`)
      for (const [rule, id] of targets) refuseIfExhausted(rule, liveWindow(id, now), now)
      let tightest: RateLimitStatus | null = null
      for (const [rule, id] of targets) {
        const window = liveWindow(id, now) ?? openWindow(id, rule, now)
        window.count++
        const status = { limit: rule.limit, remaining: rule.limit - window.count, resetSeconds: secondsLeft(window, now) }
        if (tightest === null || status.remaining < tightest.remaining) tightest = status
      }
      return tightest!
    },
    check(scope, keys) {
      const now = clock.now()
      for (const [rule, id] of applicable(scope, keys)) {
        const window = liveWindow(id, now)
        refuseIfExhausted(rule, window, now)
        if (window === undefined && seams.windowOpensOnCheck(scope)) openWindow(id, rule, now)
      }
    },
    sweep() {
      const now = clock.now()
      for (const [id, window] of windows) if (seams.windowEnded(now, window.endsAt)) windows.delete(id)
    },
    clear: () => windows.clear(),
    get size() {
      return windows.size
    },
  }
}
