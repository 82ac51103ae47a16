/**
 * Test support for the domain's own tests: a domain on a frozen clock (time moves only by
 * advance) with cheap scrypt, plus shortcuts for the common set-ups.
 */
import { createClock, type Clock } from '../clock.ts'
import { createMemoryStore } from '../store/memory-store.ts'
import type { Store } from '../store/store.ts'
import { DEFAULT_RATE_LIMITS } from './defaults.ts'
import { createDomain } from './index.ts'
import type { PolicyInput, TokenResponse } from './contract.ts'
import type { Domain, DomainConfig, IssuedTokens, Principal } from './types.ts'

export const START = Date.parse('2030-01-01T00:00:00Z')
export const ISSUER = 'http://127.0.0.1:4010'
export const ADMIN_ID = 'key_Adm1nK3yF1xtur3s0000001'
export const ADMIN_SECRET = `sk_${'A'.repeat(40)}`
export const ADDRESS = '127.0.0.1'

export interface TestDomain {
  domain: Domain
  clock: Clock
  store: Store
  config: DomainConfig
}

export function testDomain(overrides: Partial<DomainConfig> = {}, seams: Parameters<typeof createDomain>[0]['seams'] = {}): TestDomain {
  const clock = createClock({ source: () => START })
  const store = createMemoryStore()
  const config: DomainConfig = {
    issuer: ISSUER,
    accessTokenTtl: 3600,
    refreshTokenTtl: 43_200,
    rateLimits: DEFAULT_RATE_LIMITS.map((rule) => ({ ...rule })),
    features: ['apikey_scheme', 'basic_signin'],
    passwordHashCost: 1024,
    ...overrides,
  }
  const domain = createDomain({ clock, store, config, seams })
  domain.bootstrapAdminKey({ id: ADMIN_ID, secret: ADMIN_SECRET })
  return { domain, clock, store, config }
}

/** A fresh client key and its tokens. */
export async function clientSession(domain: Domain, options: { expiresAt?: string } = {}) {
  const input = options.expiresAt === undefined ? { description: 'client' } : { description: 'client', expires_at: options.expiresAt }
  const key = domain.createKey(input)
  const { tokens } = await domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })
  return { key, tokens: withRefresh(tokens) }
}

/** Tokens issued with a refresh token (every refresh semantics but none), typed so. */
export function withRefresh(tokens: IssuedTokens): TokenResponse {
  if (tokens.refresh_token === undefined || tokens.refresh_expires_in === undefined) throw new Error('no refresh token was issued')
  return { ...tokens, refresh_token: tokens.refresh_token, refresh_expires_in: tokens.refresh_expires_in }
}

export const bearer = (token: string) => ({ scheme: 'bearer' as const, token })

export function keyPrincipal(id: string, role: 'admin' | 'client' = 'client'): Principal {
  return { subject: { type: 'api_key', id }, role, namespaces: [] }
}

export function userPrincipal(id: string, namespaces: string[] = []): Principal {
  return { subject: { type: 'user', id }, role: 'user', namespaces }
}

export function policy(input: Partial<PolicyInput> & Pick<PolicyInput, 'subjects'>): PolicyInput {
  return { description: 'test', resources: ['orders'], actions: ['read'], filters: [], ...input }
}
