/**
 * What every domain module shares: clock, store, resolved config, seams and the stateful
 * helpers (signing key, rate limiter, token cache). Built once by createDomain.
 */
import type { Clock } from '../clock.ts'
import type { Store } from '../store/store.ts'
import { DEFAULT_SCRYPT_COST } from './passwords.ts'
import { createRateLimiter, type RateLimiter } from './rate-limiter.ts'
import { resolveSeams, type Seams } from './seams.ts'
import { createSigningKey, type SigningKey } from './signing-key.ts'
import { resolveSemantics, type Semantics } from './semantics.ts'
import { createTokenCache, type TokenCache } from './token-cache.ts'
import type { DomainConfig, DomainContext } from './types.ts'

export type ResolvedConfig = Required<Omit<DomainConfig, 'signingKey' | 'semantics'>> &
  Pick<DomainConfig, 'signingKey'> & { semantics: Semantics }

export interface Internals {
  clock: Clock
  store: Store
  config: ResolvedConfig
  seams: Seams
  signingKey: SigningKey
  limiter: RateLimiter
  tokenCache: TokenCache
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`config.${name} must be a positive integer (got ${value})`)
  return value
}

export function resolveConfig(config: DomainConfig): ResolvedConfig {
  return {
    ...config,
    issuer: config.issuer.replace(/\/+$/, ''),
    accessTokenTtl: positive('accessTokenTtl', config.accessTokenTtl),
    refreshTokenTtl: positive('refreshTokenTtl', config.refreshTokenTtl),
    passwordHashCost: config.passwordHashCost ?? DEFAULT_SCRYPT_COST,
    tokenCacheSize: positive('tokenCacheSize', config.tokenCacheSize ?? 10_000),
    retentionSeconds: config.retentionSeconds ?? 86_400,
    sweepEvery: positive('sweepEvery', config.sweepEvery ?? 1000),
    semantics: resolveSemantics(config.semantics),
  }
}

export function createInternals(ctx: DomainContext): Internals {
  const config = resolveConfig(ctx.config)
  const seams = resolveSeams(ctx.seams)
  return {
    clock: ctx.clock,
    store: ctx.store,
    config,
    seams,
    signingKey: createSigningKey(ctx.clock, config.issuer, config.signingKey),
    limiter: createRateLimiter(ctx.clock, config.rateLimits, seams, ctx.rateWindows),
    tokenCache: createTokenCache(config.tokenCacheSize),
  }
}

/** RFC 3339 timestamp of an epoch-millisecond instant. */
export function iso(millis: number): string {
  return new Date(millis).toISOString()
}
