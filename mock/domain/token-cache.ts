/**
 * Verified access tokens: token string → claims, so a token's signature is checked once per
 * instance rather than on every request. Bounded (oldest entry evicted first); entries are
 * useless after `exp` and swept. A hit still goes through the expiry and liveness checks.
 */
import type { AccessClaims } from './signing-key.ts'

export interface TokenCache {
  /** Frozen: the same object answers every request with that token. */
  get(token: string): Readonly<AccessClaims> | undefined
  set(token: string, claims: AccessClaims): void
  /** Drops the entries whose exp (seconds) has passed by the domain's expiry rule. */
  sweep(expired: (exp: number) => boolean): void
  clear(): void
  readonly size: number
}

export function createTokenCache(maxEntries: number): TokenCache {
  const entries = new Map<string, Readonly<AccessClaims>>()
  return {
    get: (token) => entries.get(token),
    set(token, claims) {
      if (entries.size >= maxEntries && !entries.has(token)) {
        const oldest = entries.keys().next()
        if (oldest.done !== true) entries.delete(oldest.value)
      }
      entries.set(token, Object.freeze({ ...claims }))
    },
    sweep(expired) {
      for (const [token, claims] of entries) if (expired(claims.exp)) entries.delete(token)
    },
    clear: () => entries.clear(),
    get size() {
      return entries.size
    },
  }
}
