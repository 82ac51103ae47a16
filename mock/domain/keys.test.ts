import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { InvalidCredentialsError } from './errors.ts'
import { ADDRESS, ADMIN_ID, ADMIN_SECRET, START, bearer, clientSession, testDomain } from './testing.ts'

const isoIn = (seconds: number) => new Date(START + seconds * 1000).toISOString()

describe('key creation', () => {
  it('answers the id and the secret once; lists and gets never carry a secret', () => {
    const { domain, store } = testDomain()
    const created = domain.createKey({ description: 'billing' })
    expect(created.id).toMatch(/^key_[A-Za-z0-9]{24}$/)
    expect(created.secret).toMatch(/^sk_[A-Za-z0-9]{40}$/)
    expect(created).toMatchObject({ description: 'billing', role: 'client', expires_at: null, rotated_at: null })
    expect(domain.getKey(created.id)).not.toHaveProperty('secret')
    expect(domain.listKeys().map((key) => key.id)).toEqual([ADMIN_ID, created.id])
    expect(JSON.stringify(domain.listKeys())).not.toContain(created.secret)
    // Stored one-way: the secret itself is nowhere in the store.
    expect(JSON.stringify([...store.keys.values()])).not.toContain(created.secret)
  })

  it.each([
    ['in the past', isoIn(-1)],
    ['now', isoIn(0)],
    ['not a date', 'tomorrow'],
  ])('refuses expires_at %s', (_name, expiresAt) => {
    const { domain } = testDomain()
    expect(() => domain.createKey({ description: 'x', expires_at: expiresAt })).toThrow(expect.objectContaining({
      code: 'invalid_request', errors: [expect.objectContaining({ in: 'body', path: '/expires_at' })],
    }))
  })

  it.each([['empty', ''], ['too long', 'x'.repeat(201)]])('refuses a description that is %s', (_name, description) => {
    const { domain } = testDomain()
    expect(() => domain.createKey({ description })).toThrow(expect.objectContaining({ code: 'invalid_request' }))
  })

  it('accepts explicit fixture ids and secrets, refuses duplicates and bad formats', async () => {
    const { domain } = testDomain()
    const secret = `sk_${'f'.repeat(40)}`
    const created = domain.createKey({ description: 'fixture', role: 'admin' }, { id: 'key_F1xtureF1xtureF1xt', secret })
    expect(created).toMatchObject({ id: 'key_F1xtureF1xtureF1xt', secret, role: 'admin' })
    await expect(domain.exchangeApiKey({ apiKey: created.id, apiSecret: secret, address: ADDRESS })).resolves.toBeDefined()
    expect(() => domain.createKey({ description: 'again' }, { id: created.id })).toThrow(expect.objectContaining({ code: 'conflict' }))
    expect(() => domain.createKey({ description: 'bad' }, { id: 'key_short' })).toThrow(expect.objectContaining({ code: 'invalid_request' }))
    expect(() => domain.createKey({ description: 'bad' }, { secret: 'sk_short' })).toThrow(expect.objectContaining({ code: 'invalid_request' }))
  })
})

describe('exchange', () => {
  it('works at once for a new key and refuses every bad credential alike', async () => {
    const { domain, clock } = testDomain()
    const live = domain.createKey({ description: 'live' })
    const expiring = domain.createKey({ description: 'expiring', expires_at: isoIn(60) })
    const revoked = domain.createKey({ description: 'revoked' })
    domain.revokeKey(revoked.id)
    await expect(domain.exchangeApiKey({ apiKey: live.id, apiSecret: live.secret, address: ADDRESS })).resolves.toBeDefined()
    clock.advance(60)
    const attempts = [
      { apiKey: 'key_UnknownUnknownUnknown', apiSecret: live.secret },
      { apiKey: live.id, apiSecret: `sk_${'0'.repeat(40)}` },
      { apiKey: revoked.id, apiSecret: revoked.secret },
      { apiKey: expiring.id, apiSecret: expiring.secret },
    ]
    const errors = await Promise.all(attempts.map((attempt) => domain.exchangeApiKey({ ...attempt, address: ADDRESS }).catch((error: unknown) => error)))
    for (const error of errors) expect(error).toBeInstanceOf(InvalidCredentialsError)
    expect(new Set(errors.map((error) => (error as Error).message)).size).toBe(1)
  })

  it('is rate limited per credential (30 per 60 s by default)', async () => {
    const { domain, clock } = testDomain()
    const key = domain.createKey({ description: 'busy' })
    for (let i = 0; i < 30; i++) await domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })
    await expect(domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })).rejects.toMatchObject({
      code: 'rate_limited', retryAfterSeconds: 60, limit: 30,
    })
    clock.advance(60)
    const { rateLimit } = await domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })
    expect(rateLimit).toEqual({ limit: 30, remaining: 29, resetSeconds: 60 })
  })
})

describe('revocation', () => {
  it('removes the key (404), refuses its secret and kills its tokens at once', async () => {
    const { domain } = testDomain()
    const { key, tokens } = await clientSession(domain)
    await domain.authenticate(bearer(tokens.access_token))
    domain.revokeKey(key.id)
    expect(() => domain.getKey(key.id)).toThrow(expect.objectContaining({ code: 'not_found' }))
    expect(() => domain.revokeKey(key.id)).toThrow(expect.objectContaining({ code: 'not_found' }))
    await expect(domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })).rejects.toMatchObject({ code: 'invalid_credentials' })
    await expect(domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
    await expect(domain.refresh({ refreshToken: tokens.refresh_token })).rejects.toMatchObject({ code: 'token_revoked' })
  })
})

describe('rotation', () => {
  it('answers a new secret; the old secret and earlier tokens die, the new secret exchanges', async () => {
    const { domain, clock } = testDomain()
    const { key, tokens } = await clientSession(domain)
    clock.advance(5)
    const rotated = domain.rotateKey(key.id)
    expect(rotated.id).toBe(key.id)
    expect(rotated.secret).not.toBe(key.secret)
    expect(rotated.rotated_at).toBe(isoIn(5))
    await expect(domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })).rejects.toMatchObject({ code: 'invalid_credentials' })
    await expect(domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
    await expect(domain.refresh({ refreshToken: tokens.refresh_token })).rejects.toMatchObject({ code: 'token_revoked' })
    const fresh = await domain.exchangeApiKey({ apiKey: key.id, apiSecret: rotated.secret, address: ADDRESS })
    expect(await domain.authenticate(bearer(fresh.tokens.access_token))).toMatchObject({ subject: { id: key.id } })
  })

  it('of an unknown key is not_found', () => {
    const { domain } = testDomain()
    expect(() => domain.rotateKey('key_UnknownUnknownUnknown')).toThrow(expect.objectContaining({ code: 'not_found' }))
  })
})

describe('key expiry caps every token (KEY-007)', () => {
  it('caps exp, expires_in and refresh_expires_in at expires_at', async () => {
    const { domain } = testDomain()
    const { tokens } = await clientSession(domain, { expiresAt: isoIn(1800) })
    const claims = decodeJwt(tokens.access_token)
    expect(claims.exp).toBe(Math.floor(START / 1000) + 1800)
    expect(tokens.expires_in).toBe(1800)
    expect(tokens.refresh_expires_in).toBe(1800)
  })

  it('accepts nothing of the key after it expires', async () => {
    const { domain, clock } = testDomain()
    const { key, tokens } = await clientSession(domain, { expiresAt: isoIn(1800) })
    clock.advance(1799)
    const refreshed = await domain.refresh({ refreshToken: tokens.refresh_token })
    expect(refreshed.expires_in).toBe(1)
    expect(refreshed.refresh_expires_in).toBe(1)
    clock.advance(1)
    await expect(domain.authenticate(bearer(refreshed.access_token))).rejects.toMatchObject({ code: 'token_expired' })
    await expect(domain.refresh({ refreshToken: refreshed.refresh_token })).rejects.toMatchObject({ code: 'token_expired' })
    await expect(domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })).rejects.toMatchObject({ code: 'invalid_credentials' })
    await expect(domain.authenticate({ scheme: 'apikey', keyId: key.id, secret: key.secret })).rejects.toMatchObject({ code: 'invalid_credentials' })
  })

  it('keeps the full TTLs for a key that expires later than both', async () => {
    const { domain } = testDomain()
    const { tokens } = await clientSession(domain, { expiresAt: isoIn(100_000) })
    expect(tokens).toMatchObject({ expires_in: 3600, refresh_expires_in: 43_200 })
  })
})

describe('bootstrap admin key', () => {
  it('installs an admin key with the given id and secret', async () => {
    const { domain } = testDomain()
    expect(domain.getKey(ADMIN_ID)).toMatchObject({ role: 'admin' })
    const { tokens } = await domain.exchangeApiKey({ apiKey: ADMIN_ID, apiSecret: ADMIN_SECRET, address: ADDRESS })
    expect(await domain.authenticate(bearer(tokens.access_token))).toMatchObject({ role: 'admin' })
  })

  it('replaces a key with the same id and ends its sessions', async () => {
    const { domain } = testDomain()
    const { tokens } = await domain.exchangeApiKey({ apiKey: ADMIN_ID, apiSecret: ADMIN_SECRET, address: ADDRESS })
    const secret = `sk_${'Z'.repeat(40)}`
    domain.bootstrapAdminKey({ id: ADMIN_ID, secret })
    await expect(domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
    await expect(domain.exchangeApiKey({ apiKey: ADMIN_ID, apiSecret: secret, address: ADDRESS })).resolves.toBeDefined()
  })
})
