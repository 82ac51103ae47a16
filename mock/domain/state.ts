/**
 * Housekeeping of mutable state: the sweep that purges expired sessions, refresh tokens,
 * rate-limit windows and cache entries (so memory comes back once the clock passes every
 * expiry), and reset to the fixture state for the control extension.
 */
import type { StoreSnapshot, TableName } from '../store/store.ts'
import type { Internals } from './context.ts'
import type { ResetScope } from './types.ts'

/** The persistent tables the fixtures fill. */
const FIXTURE_TABLES: TableName[] = ['keys', 'users', 'policies', 'datasets', 'records']

export function createState({ clock, store, config, seams, limiter, tokenCache }: Internals) {
  let fixtureState: StoreSnapshot = store.snapshot(FIXTURE_TABLES)
  let operations = 0

  function clearSessions(): void {
    store.sessions.clear()
    store.refreshTokens.clear()
    tokenCache.clear()
  }

  function sweep(): void {
    operations = 0
    const now = clock.now()
    // Kept `retentionSeconds` past their last expiry so late tokens still answer token_expired.
    const horizon = now - config.retentionSeconds * 1000
    for (const session of [...store.sessions.values()]) {
      if (Math.max(session.refreshExpiresAt, session.accessExpiresAt) > horizon) continue
      for (const token of store.refreshTokens.lookup('session', session.id)) store.refreshTokens.purge(token.hash)
      store.sessions.purge(session.id)
    }
    for (const token of [...store.refreshTokens.values()]) {
      if (token.expiresAt <= horizon) store.refreshTokens.purge(token.hash)
    }
    limiter.sweep()
    tokenCache.sweep((exp) => seams.expired(exp * 1000, now))
  }

  return {
    sweep,

    /** Counts an operation; sweeps every `sweepEvery` operations. */
    tick(): void {
      if (++operations >= config.sweepEvery) sweep()
    },

    markFixtureState(): void {
      fixtureState = store.snapshot(FIXTURE_TABLES)
    },

    /**
     * What each scope resets (DISC-006, Domain.reset). Moving the clock back ends sessions
     * and windows: a token issued under the advanced clock would otherwise live longer
     * than its TTL from the new now, and a window would end after its length.
     */
    reset(scope: ResetScope): void {
      if (scope === 'clock' || scope === 'all') clock.reset()
      if (scope === 'rate_limits' || scope === 'clock' || scope === 'all') limiter.clear()
      if (seams.resetEndsSessions(scope)) clearSessions()
      if (scope === 'data' || scope === 'all') store.restore(fixtureState, FIXTURE_TABLES)
    },

    counts: (): { [table: string]: number } => ({
      keys: store.keys.size,
      users: store.users.size,
      sessions: store.sessions.size,
      refreshTokens: store.refreshTokens.size,
      policies: store.policies.size,
      datasets: store.datasets.size,
      records: store.records.size,
      ...(limiter.size !== undefined && { rateLimitWindows: limiter.size }),
      tokenCache: tokenCache.size,
    }),
  }
}
