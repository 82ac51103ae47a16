/** The mock's default lifetimes and rate limits (declared in discovery). */
import type { Feature } from './contract.ts'
import type { DomainConfig, RateLimitConfig } from './types.ts'

export const DEFAULT_ACCESS_TOKEN_TTL = 3600
export const DEFAULT_REFRESH_TOKEN_TTL = 43_200

export const DEFAULT_RATE_LIMITS: readonly RateLimitConfig[] = [
  { scope: 'token', per: 'credential', limit: 30, windowSeconds: 60 },
  { scope: 'token', per: 'address', limit: 1000, windowSeconds: 60 },
  { scope: 'signin', per: 'credential', limit: 30, windowSeconds: 60 },
  { scope: 'signin', per: 'address', limit: 1000, windowSeconds: 60 },
  { scope: 'signin_failures', per: 'account', limit: 5, windowSeconds: 300 },
  { scope: 'data', per: 'subject', limit: 3000, windowSeconds: 60 },
]

export function defaultDomainConfig(issuer: string, features: Feature[] = ['apikey_scheme', 'basic_signin']): DomainConfig {
  return {
    issuer,
    accessTokenTtl: DEFAULT_ACCESS_TOKEN_TTL,
    refreshTokenTtl: DEFAULT_REFRESH_TOKEN_TTL,
    rateLimits: DEFAULT_RATE_LIMITS.map((rule) => ({ ...rule })),
    features,
  }
}
