import { describe, expect, it } from 'vitest'
import { createClock } from '../clock.ts'
import { createMemoryStore } from '../store/memory-store.ts'
import { defaultDomainConfig } from './defaults.ts'
import { createDomain } from './index.ts'
import { ADDRESS, ADMIN_ID, ADMIN_SECRET, ISSUER, START, bearer, clientSession, testDomain, withRefresh } from './testing.ts'

describe('sweep', () => {
  it('gives memory back once the clock passes every expiry (plus retention)', async () => {
    const { domain, clock } = testDomain({ retentionSeconds: 60 })
    const before = domain.stateCounts()
    for (let i = 0; i < 5; i++) {
      const { tokens } = await clientSession(domain)
      await domain.refresh({ refreshToken: tokens.refresh_token })
      await domain.authenticate(bearer(tokens.access_token))
    }
    domain.consumeRateLimit('data', { subject: 'someone' })
    const busy = domain.stateCounts()
    expect(busy['sessions']).toBe(5)
    expect(busy['refreshTokens']).toBe(10)
    expect(busy['tokenCache']).toBe(10)
    expect(busy['rateLimitWindows']).toBeGreaterThan(0)
    clock.advance(43_200 + 59)
    expect(domain.stateCounts()).toMatchObject({ sessions: 5, tokenCache: 0, rateLimitWindows: 0 })
    clock.advance(1)
    expect(domain.stateCounts()).toMatchObject({ sessions: 0, refreshTokens: 0, tokenCache: 0, rateLimitWindows: 0 })
    expect(domain.stateCounts()['keys']).toBe(before['keys']! + 5)
  })

  it('runs every `sweepEvery` operations, without any clock change', () => {
    // Real time moves on its own here (no advance, so no clock-triggered sweep).
    let real = START
    const clock = createClock({ source: () => real })
    const domain = createDomain({ clock, store: createMemoryStore(), config: { ...defaultDomainConfig(ISSUER), sweepEvery: 3 } })
    domain.consumeRateLimit('data', { subject: 'a' })
    real += 61_000
    domain.consumeRateLimit('data', { subject: 'b' })
    expect(domain.stateCounts()['rateLimitWindows']).toBe(2)
    domain.consumeRateLimit('data', { subject: 'c' }) // third operation: sweeps 'a' before counting 'c'
    expect(domain.stateCounts()['rateLimitWindows']).toBe(2)
  })

  it('keeps live state: a live session survives a sweep', async () => {
    const { domain, clock } = testDomain({ retentionSeconds: 0 })
    const { tokens } = await clientSession(domain)
    clock.advance(3000)
    domain.sweep()
    expect(await domain.authenticate(bearer(tokens.access_token))).toBeDefined()
    await expect(domain.refresh({ refreshToken: tokens.refresh_token })).resolves.toBeDefined()
  })
})

describe('reset', () => {
  async function seeded() {
    const t = testDomain()
    t.domain.createDataset({ name: 'orders' })
    await t.domain.createUser({ email: 'a@example.com', password: 'password-1' }, { id: 'usr_F1xtureF1xtureF1xt' })
    t.domain.markFixtureState()
    return t
  }

  it('data: persistent tables back to the fixture state, sessions forgotten', async () => {
    const { domain } = await seeded()
    const { key, tokens } = await clientSession(domain)
    domain.createDataset({ name: 'extra' })
    domain.seedRecord({ dataset: 'orders', owner: key.id, fields: {} })
    domain.deleteUser('usr_F1xtureF1xtureF1xt')
    domain.reset('data')
    expect(domain.listDatasets().map((d) => d.name)).toEqual(['orders'])
    expect(domain.listKeys().map((k) => k.id)).toEqual([ADMIN_ID])
    expect(domain.getUser('usr_F1xtureF1xtureF1xt').email).toBe('a@example.com')
    expect(domain.stateCounts()['records']).toBe(0)
    await expect(domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
    await expect(domain.signIn({ email: 'a@example.com', password: 'password-1', address: ADDRESS })).resolves.toBeDefined()
    // Restorable again and again.
    domain.createDataset({ name: 'extra' })
    domain.reset('data')
    expect(domain.listDatasets().map((d) => d.name)).toEqual(['orders'])
  })

  it('sessions: a refresh token is forgotten (invalid_token)', async () => {
    const { domain } = await seeded()
    const { tokens } = await domain.exchangeApiKey({ apiKey: ADMIN_ID, apiSecret: ADMIN_SECRET, address: ADDRESS })
    domain.reset('sessions')
    await expect(domain.refresh({ refreshToken: withRefresh(tokens).refresh_token })).rejects.toMatchObject({ code: 'invalid_token' })
  })

  // What each scope does to a live token (of a key the fixtures have), an exhausted
  // window, the clock and the data (DISC-006).
  it.each([
    ['rate_limits', { tokenLive: true, windowOpen: true, clockBack: false, dataBack: false }],
    ['sessions', { tokenLive: false, windowOpen: false, clockBack: false, dataBack: false }],
    ['data', { tokenLive: false, windowOpen: false, clockBack: false, dataBack: true }],
    ['clock', { tokenLive: false, windowOpen: true, clockBack: true, dataBack: false }],
    ['all', { tokenLive: false, windowOpen: true, clockBack: true, dataBack: true }],
  ] as const)('%s', async (scope, expected) => {
    const { domain, clock } = await seeded()
    clock.advance(100)
    const { tokens } = await domain.exchangeApiKey({ apiKey: ADMIN_ID, apiSecret: ADMIN_SECRET, address: ADDRESS })
    for (let i = 0; i < 3000; i++) domain.consumeRateLimit('data', { subject: 's' })
    domain.createDataset({ name: 'extra' })
    domain.reset(scope)
    const tokenLive = await Promise.resolve(domain.authenticate(bearer(tokens.access_token))).then(
      () => true,
      (error: { code?: string }) => {
        expect(error.code).toBe('token_revoked')
        return false
      },
    )
    let windowOpen = false
    try {
      windowOpen = (await domain.consumeRateLimit('data', { subject: 's' })).remaining === 2999
    } catch (error) {
      expect(error).toMatchObject({ code: 'rate_limited' })
    }
    const actual = { tokenLive, windowOpen, clockBack: clock.offsetSeconds() === 0, dataBack: domain.listDatasets().length === 1 }
    expect(actual).toEqual(expected)
  })
})

describe('discovery and JWKS', () => {
  it('declares the configured issuer, lifetimes, limits and features', () => {
    const { domain } = testDomain({ issuer: 'http://127.0.0.1:4010/', accessTokenTtl: 300 })
    const discovery = domain.discovery()
    expect(discovery).toMatchObject({
      issuer: 'http://127.0.0.1:4010',
      jwks_uri: 'http://127.0.0.1:4010/.well-known/jwks.json',
      token_endpoint: 'http://127.0.0.1:4010/v1/auth/token',
      access_token_ttl: 300,
      refresh_token_ttl: 43_200,
      signing_alg_values_supported: ['EdDSA'],
      api_key_pattern: '^key_[A-Za-z0-9]{16,}$',
      features: ['apikey_scheme', 'basic_signin'],
    })
    expect(discovery.rate_limits).toContainEqual({ scope: 'signin_failures', per: 'account', limit: 5, window_seconds: 300 })
    const jwk = domain.jwks().keys[0]!
    expect(Object.keys(jwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x'])
  })

  it.each([
    ['accessTokenTtl 0', { accessTokenTtl: 0 }],
    ['refreshTokenTtl 1.5', { refreshTokenTtl: 1.5 }],
  ])('refuses a configuration with %s', (_name, overrides) => {
    expect(() => testDomain(overrides)).toThrow(RangeError)
  })
})
