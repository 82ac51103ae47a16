import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { DEFAULT_RATE_LIMITS } from './defaults.ts'
import { ADDRESS, ADMIN_ID, ADMIN_SECRET, START, bearer, testDomain } from './testing.ts'

describe('key_secret none (ekoDB, Dxtra): the key string alone is exchanged', () => {
  it('the string created with the key exchanges for a session of that key', async () => {
    const { domain } = testDomain({ semantics: { key_secret: 'none' } })
    const key = domain.createKey({ description: 'web app' })
    const { tokens } = await domain.exchangeApiKey({ apiKey: key.secret, address: ADDRESS })
    expect(decodeJwt(tokens.access_token).sub).toBe(key.id)
    expect(await domain.authenticate(bearer(tokens.access_token))).toMatchObject({ subject: { type: 'api_key', id: key.id } })
  })

  it.each([
    ['the key id (which is no credential)', (key: { id: string }) => key.id],
    ['an unknown string', () => `sk_${'Z'.repeat(40)}`],
  ])('refuses %s as invalid_credentials', async (_name, presented) => {
    const { domain } = testDomain({ semantics: { key_secret: 'none' } })
    const key = domain.createKey({ description: 'web app' })
    await expect(domain.exchangeApiKey({ apiKey: presented(key), address: ADDRESS })).rejects.toMatchObject({ code: 'invalid_credentials' })
  })

  it('a revoked, rotated-away or expired key string is refused; the rotated-in one works', async () => {
    const { domain, clock } = testDomain({ semantics: { key_secret: 'none' } })
    const revoked = domain.createKey({ description: 'revoked' })
    domain.revokeKey(revoked.id)
    const rotated = domain.createKey({ description: 'rotated' })
    const fresh = domain.rotateKey(rotated.id)
    const expiring = domain.createKey({ description: 'expiring', expires_at: new Date(START + 60_000).toISOString() })
    clock.advance(60)
    for (const apiKey of [revoked.secret, rotated.secret, expiring.secret]) {
      await expect(domain.exchangeApiKey({ apiKey, address: ADDRESS })).rejects.toMatchObject({ code: 'invalid_credentials' })
    }
    await expect(domain.exchangeApiKey({ apiKey: fresh.secret, address: ADDRESS })).resolves.toBeDefined()
  })

  it('the key id and the string as its secret still work (a wire format may split one string in two)', async () => {
    const { domain } = testDomain({ semantics: { key_secret: 'none' } })
    const key = domain.createKey({ description: 'web app' })
    await expect(domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })).resolves.toBeDefined()
    await expect(domain.exchangeApiKey({ apiKey: key.id, apiSecret: `sk_${'Z'.repeat(40)}`, address: ADDRESS })).rejects.toMatchObject({ code: 'invalid_credentials' })
  })

  it('the ApiKey scheme names the key by its string alone too', async () => {
    const { domain } = testDomain({ semantics: { key_secret: 'none' }, features: ['apikey_scheme'] })
    const key = domain.createKey({ description: 'machine' })
    expect(await domain.authenticate({ scheme: 'apikey', keyId: key.secret })).toMatchObject({ subject: { type: 'api_key', id: key.id } })
    await expect(domain.authenticate({ scheme: 'apikey', keyId: key.id })).rejects.toMatchObject({ code: 'invalid_credentials' })
  })

  it('the per-credential exchange limit counts one key string however often it is presented', async () => {
    const rateLimits = DEFAULT_RATE_LIMITS.map((rule) => (rule.scope === 'token' && rule.per === 'credential' ? { ...rule, limit: 2 } : { ...rule }))
    const { domain } = testDomain({ semantics: { key_secret: 'none' }, rateLimits })
    const key = domain.createKey({ description: 'web app' })
    const other = domain.createKey({ description: 'other' })
    await domain.exchangeApiKey({ apiKey: key.secret, address: ADDRESS })
    await domain.exchangeApiKey({ apiKey: key.secret, address: ADDRESS })
    await expect(domain.exchangeApiKey({ apiKey: key.secret, address: ADDRESS })).rejects.toMatchObject({ code: 'rate_limited' })
    await expect(domain.exchangeApiKey({ apiKey: other.secret, address: ADDRESS })).resolves.toBeDefined()
  })
})

describe('key_secret required (the contract)', () => {
  it('an exchange without the secret, or with the key string in place of the id, is refused', async () => {
    const { domain } = testDomain()
    const key = domain.createKey({ description: 'client' })
    await expect(domain.exchangeApiKey({ apiKey: key.id, address: ADDRESS })).rejects.toMatchObject({ code: 'invalid_credentials' })
    await expect(domain.exchangeApiKey({ apiKey: key.secret, address: ADDRESS })).rejects.toMatchObject({ code: 'invalid_credentials' })
    await expect(domain.authenticate({ scheme: 'apikey', keyId: ADMIN_ID })).rejects.toMatchObject({ code: 'invalid_credentials' })
    expect(await domain.authenticate({ scheme: 'apikey', keyId: ADMIN_ID, secret: ADMIN_SECRET })).toMatchObject({ role: 'admin' })
  })
})

describe('token_lifetime key_expiry (the datasets platform): a key\'s token lives until the key expires', () => {
  const inADay = new Date(START + 86_400_000).toISOString()

  it('exp is the key\'s expires_at, and expires_in says so', async () => {
    const { domain, clock } = testDomain({ semantics: { token_lifetime: 'key_expiry', refresh: 'none' } })
    const key = domain.createKey({ description: 'private token', expires_at: inADay })
    clock.advance(10)
    const { tokens } = await domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })
    const claims = decodeJwt(tokens.access_token)
    expect(claims.exp).toBe(START / 1000 + 86_400)
    expect(tokens.expires_in).toBe(86_390)
    clock.advance(86_389)
    expect(await domain.authenticate(bearer(tokens.access_token))).toBeDefined()
    clock.advance(1)
    await expect(domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_expired' })
  })

  it('a key without an expiry, and a user, get the configured lifetime', async () => {
    const { domain, config } = testDomain({ semantics: { token_lifetime: 'key_expiry' } })
    const key = domain.createKey({ description: 'no expiry' })
    const keyTokens = (await domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })).tokens
    await domain.createUser({ email: 'u@example.com', password: 'password-1' })
    const userTokens = (await domain.signIn({ email: 'u@example.com', password: 'password-1', address: ADDRESS })).tokens
    expect([keyTokens.expires_in, userTokens.expires_in]).toEqual([config.accessTokenTtl, config.accessTokenTtl])
  })

  it('revoking the key still kills its long-lived token at once', async () => {
    const { domain } = testDomain({ semantics: { token_lifetime: 'key_expiry', refresh: 'none' } })
    const key = domain.createKey({ description: 'private token', expires_at: inADay })
    const { tokens } = await domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })
    domain.revokeKey(key.id)
    await expect(domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
  })

  it('under ttl (the contract) the same key\'s token lives the configured lifetime', async () => {
    const { domain, config } = testDomain()
    const key = domain.createKey({ description: 'private token', expires_at: inADay })
    const { tokens } = await domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })
    expect(tokens.expires_in).toBe(config.accessTokenTtl)
  })
})
