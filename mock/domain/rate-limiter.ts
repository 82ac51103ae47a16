/**
 * Fixed-window rate limits (DISC-005), not sliding ones. A window opens at the start of the
 * second (epoch seconds) of the first hit counted for (scope, per, key) while none is open,
 * and ends exactly `windowSeconds` later: the first `limit` hits pass, later ones are
 * refused until it ends, and a hit at or after its end opens the next window. Whole-second
 * edges make the end a second a client can name: Retry-After counts the seconds to it.
 *
 * The rules live here; the windows themselves in a `RateWindows`, which decides and counts
 * atomically: in this process's memory by default, or in a shared store
 * (mock/replication/), where the answer comes back later — so `consume` and `check` answer
 * a promise when their windows do. The seams reach the windows as numbers (a count, a
 * grace in ms), since a shared store applies them in its own script.
 */
import type { Clock } from '../clock.ts'
import { RateLimitedError } from './errors.ts'
import { defaultSeams, type Seams } from './seams.ts'
import type { MaybePromise, RateLimitConfig, RateLimitPer, RateLimitScope, RateLimitStatus } from './types.ts'

export type RateLimitKeys = Partial<Record<RateLimitPer, string>>

/** One window a request counts against. */
export interface WindowTarget {
  id: string
  /** Where a window opened by this request ends: `windowSeconds` after the start of the current second. */
  endsIfOpened: number
  /** Hits after which a live window refuses (the `windowExhausted` seam as a count); Infinity: never. */
  refuseAt: number
  /** A window is live while now < its end + graceMs (the `windowEnded` seam as ms: 0 by the contract). */
  graceMs: number
}

/** A live window's state after (or, when refused, instead of) the hit. */
export interface WindowState {
  count: number
  endsAt: number
}

export type WindowHit = { refused: number; window: WindowState } | { refused: -1; windows: WindowState[] }

export interface RateWindows {
  /**
   * Atomically: when the live window of some target has reached its `refuseAt`, counts
   * nothing and answers that target's index; otherwise counts one hit in every target,
   * opening a window (ending at its `endsIfOpened`) where none is live. `now` is whole ms.
   */
  hit(targets: readonly WindowTarget[], now: number): MaybePromise<WindowHit>
  /**
   * The index of a target whose live window refuses, or -1; counts nothing. `open`: where
   * no window is live, one opens with no hit counted (the `windowOpensOnCheck` seam).
   */
  peek(targets: readonly WindowTarget[], now: number, open: boolean): MaybePromise<{ refused: number; window?: WindowState }>
  /** Drops windows that have ended (where the windows do not expire by themselves). */
  sweep(now: number): void
  clear(): void
  /** Open windows, where known. */
  readonly size: number | undefined
}

export interface RateLimiter {
  /** Counts a hit in every applicable window, or throws RateLimitedError without counting any. */
  consume(scope: RateLimitScope, keys: RateLimitKeys): MaybePromise<RateLimitStatus>
  /** Throws RateLimitedError if an applicable window is exhausted; counts nothing. */
  check(scope: RateLimitScope, keys: RateLimitKeys): MaybePromise<void>
  /** Drops windows that have ended. */
  sweep(): void
  clear(): void
  readonly size: number | undefined
}

type WindowSeams = Pick<Seams, 'windowExhausted' | 'windowEnded' | 'windowOpensOnCheck'>

const SCOPES: readonly RateLimitScope[] = ['token', 'signin', 'signin_failures', 'data']

/**
 * The count at which `windowExhausted` first refuses (assumed monotone in the count), found
 * by bisection: a limit may be 10⁹ (`--rate-limit data=1000000000/60`), which a count from 0
 * took 6 s of start-up to reach.
 */
function refuseAt(rule: RateLimitConfig, seams: WindowSeams): number {
  let [low, high] = [0, rule.limit + 1]
  if (!seams.windowExhausted(high, rule.limit)) return Number.POSITIVE_INFINITY
  while (low < high) {
    const middle = Math.floor((low + high) / 2)
    if (seams.windowExhausted(middle, rule.limit)) high = middle
    else low = middle + 1
  }
  return low
}

const HOUR_MS = 3_600_000

/**
 * The ms after its end at which `windowEnded` first calls a window over, probed on a window
 * ending at a whole second, as every window does (assumed monotone in now).
 */
function endGraceMs(seams: WindowSeams): number {
  const end = 1_900_000_000_000
  if (!seams.windowEnded(end + HOUR_MS, end)) throw new RangeError('a windowEnded seam must end a window within an hour of its end')
  let [low, high] = [0, HOUR_MS]
  while (low < high) {
    const middle = Math.floor((low + high) / 2)
    if (seams.windowEnded(end + middle, end)) high = middle
    else low = middle + 1
  }
  return low
}

export function createRateLimiter(
  clock: Clock,
  rules: readonly RateLimitConfig[],
  seams: WindowSeams = defaultSeams,
  windows: RateWindows = createMemoryWindows(),
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
  const thresholds = new Map(rules.map((rule) => [rule, refuseAt(rule, seams)]))
  const graceMs = endGraceMs(seams)

  const byScope = new Map(SCOPES.map((scope) => [scope, rules.filter((rule) => rule.scope === scope)]))

  const applicable = (scope: RateLimitScope, keys: RateLimitKeys, at: number): { rules: RateLimitConfig[]; targets: WindowTarget[] } => {
    const found = { rules: [] as RateLimitConfig[], targets: [] as WindowTarget[] }
    const second = at - (at % 1000)
    for (const rule of byScope.get(scope) ?? []) {
      const key = keys[rule.per]
      if (key === undefined) continue
      found.rules.push(rule)
      found.targets.push({
        id: `${rule.scope}\u0000${rule.per}\u0000${key}`,
        endsIfOpened: second + rule.windowSeconds * 1000,
        refuseAt: thresholds.get(rule)!,
        graceMs,
      })
    }
    return found
  }

  // Whole milliseconds, so that every kind of window store compares the same instants.
  const now = (): number => Math.floor(clock.now())
  const secondsLeft = (window: WindowState, at: number): number => Math.max(1, Math.ceil((window.endsAt - at) / 1000))
  const refusal = (rule: RateLimitConfig, window: WindowState, at: number): RateLimitedError => {
    const wait = secondsLeft(window, at)
    return new RateLimitedError(rule.scope, wait, rule.limit, 0, wait)
  }

  // Hoisted, not closures per call: the memory windows answer at once, on every data request.
  const settleHit = (hit: WindowHit, matched: RateLimitConfig[], at: number): RateLimitStatus => {
    if (hit.refused >= 0) throw refusal(matched[hit.refused]!, (hit as { window: WindowState }).window, at)
    const { windows: counted } = hit as { windows: WindowState[] }
    let tightest: RateLimitStatus | null = null
    for (let index = 0; index < counted.length; index++) {
      const { limit } = matched[index]!
      const remaining = limit - counted[index]!.count
      if (tightest === null || remaining < tightest.remaining) tightest = { limit, remaining, resetSeconds: secondsLeft(counted[index]!, at) }
    }
    return tightest!
  }
  const settlePeek = ({ refused, window }: { refused: number; window?: WindowState }, matched: RateLimitConfig[], at: number): void => {
    if (refused >= 0) throw refusal(matched[refused]!, window!, at)
  }

  return {
    consume(scope, keys) {
      const at = now()
      const { rules: matched, targets } = applicable(scope, keys, at)
      if (targets.length === 0) throw new RangeError(`no ${scope} rate limit applies to ${Object.keys(keys).join(', ') || 'no keys'}`)
      const hit = windows.hit(targets, at)
      return hit instanceof Promise ? hit.then((answer) => settleHit(answer, matched, at)) : settleHit(hit, matched, at)
    },
    check(scope, keys) {
      const at = now()
      const { rules: matched, targets } = applicable(scope, keys, at)
      const peeked = windows.peek(targets, at, seams.windowOpensOnCheck(scope))
      return peeked instanceof Promise ? peeked.then((answer) => settlePeek(answer, matched, at)) : settlePeek(peeked, matched, at)
    },
    sweep: () => windows.sweep(now()),
    clear: () => windows.clear(),
    get size() {
      return windows.size
    },
  }
}

interface MemoryWindow extends WindowState {
  /** The window is live while now < liveUntil (its end plus the grace it opened with). */
  liveUntil: number
}

/** Windows in this process's memory: the rule of the shared store's script (mock/replication/lua/rate-windows.lua). */
export function createMemoryWindows(): RateWindows {
  const open = new Map<string, MemoryWindow>()
  const live = (id: string, now: number): MemoryWindow | undefined => {
    const window = open.get(id)
    return window !== undefined && now < window.liveUntil ? window : undefined
  }
  const opened = (target: WindowTarget): MemoryWindow => {
    const window = { count: 0, endsAt: target.endsIfOpened, liveUntil: target.endsIfOpened + target.graceMs }
    open.set(target.id, window)
    return window
  }
  const refusing = (targets: readonly WindowTarget[], now: number): { refused: number; window?: WindowState } => {
    for (let index = 0; index < targets.length; index++) {
      const window = live(targets[index]!.id, now)
      if (window !== undefined && window.count >= targets[index]!.refuseAt) return { refused: index, window }
    }
    return { refused: -1 }
  }
  return {
    hit(targets, now) {
      const refused = refusing(targets, now)
      if (refused.refused >= 0) return refused as WindowHit
      // The live windows themselves, read at once by the limiter (no copies on this hot path).
      const counted: WindowState[] = []
      for (const target of targets) {
        const window = live(target.id, now) ?? opened(target)
        window.count++
        counted.push(window)
      }
      return { refused: -1, windows: counted }
    },
    peek(targets, now, openWindows) {
      const refused = refusing(targets, now)
      if (openWindows) for (const target of targets) if (live(target.id, now) === undefined) opened(target)
      return refused
    },
    sweep(now) {
      for (const [id, window] of open) if (now >= window.liveUntil) open.delete(id)
    },
    clear: () => open.clear(),
    get size() {
      return open.size
    },
  }
}
