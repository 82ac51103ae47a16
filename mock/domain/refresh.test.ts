import { describe, expect, it } from 'vitest'
import { decodeJwt } from 'jose'
import { ADDRESS, bearer, clientSession, testDomain, withRefresh } from './testing.ts'
import type { Domain } from './types.ts'

describe('refresh rotation', () => {
  it('answers a new access and refresh token in the same session; the new access token works', async () => {
    const { domain, clock } = testDomain()
    const { tokens } = await clientSession(domain)
    clock.advance(10)
    const next = await domain.refresh({ refreshToken: tokens.refresh_token })
    expect(next.session_id).toBe(tokens.session_id)
    expect(next.access_token).not.toBe(tokens.access_token)
    expect(next.refresh_token).not.toBe(tokens.refresh_token)
    expect(next).toMatchObject({ expires_in: 3600, refresh_expires_in: 43_200 })
    expect(decodeJwt(next.access_token).sid).toBe(tokens.session_id)
    expect(await domain.authenticate(bearer(next.access_token))).toMatchObject({ sessionId: tokens.session_id })
  })

  it('answers invalid_token for an unknown refresh token', async () => {
    const { domain } = testDomain()
    await expect(domain.refresh({ refreshToken: 'rt_' + 'x'.repeat(43) })).rejects.toMatchObject({ code: 'invalid_token' })
    await expect(domain.refresh({ refreshToken: 'nonsense' })).rejects.toMatchObject({ code: 'invalid_token' })
  })
})

describe('reuse detection', () => {
  it('a used refresh token is dead, and presenting it revokes the whole session', async () => {
    const { domain } = testDomain()
    const { tokens } = await clientSession(domain)
    const next = await domain.refresh({ refreshToken: tokens.refresh_token })
    await expect(domain.refresh({ refreshToken: tokens.refresh_token })).rejects.toMatchObject({ code: 'token_revoked' })
    // The newest pair of the session dies with it.
    await expect(domain.refresh({ refreshToken: next.refresh_token })).rejects.toMatchObject({ code: 'token_revoked' })
    await expect(domain.authenticate(bearer(next.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
    await expect(domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
  })

  it('another session of the same key stays live', async () => {
    const { domain } = testDomain()
    const { key, tokens } = await clientSession(domain)
    const other = (await domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })).tokens
    await domain.refresh({ refreshToken: tokens.refresh_token })
    await expect(domain.refresh({ refreshToken: tokens.refresh_token })).rejects.toThrow()
    expect(await domain.authenticate(bearer(other.access_token))).toMatchObject({ sessionId: other.session_id })
  })

  it('two concurrent refreshes with one token: one wins, the reuse revokes the session', async () => {
    const { domain } = testDomain()
    const { tokens } = await clientSession(domain)
    const results = await Promise.allSettled([
      domain.refresh({ refreshToken: tokens.refresh_token }),
      domain.refresh({ refreshToken: tokens.refresh_token }),
    ])
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected'])
    const winner = results.find((result) => result.status === 'fulfilled')!.value
    await expect(domain.authenticate(bearer(winner.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
  })
})

describe('refresh expiry', () => {
  it('works at TTL − 1 s after its own issue and is token_expired at TTL + 1 s', async () => {
    const { domain, clock } = testDomain({ refreshTokenTtl: 7200 })
    const { tokens } = await clientSession(domain)
    clock.advance(7199)
    const next = await domain.refresh({ refreshToken: tokens.refresh_token })
    expect(next.refresh_expires_in).toBe(7200)
    // The new token's lifetime counts from its own issue, not the session's start.
    clock.advance(7199)
    const third = await domain.refresh({ refreshToken: next.refresh_token })
    clock.advance(7201)
    await expect(domain.refresh({ refreshToken: third.refresh_token })).rejects.toMatchObject({ code: 'token_expired' })
  })

  it('expires at iat + refresh_expires_in, a whole second, even when issued late in a second', async () => {
    const { domain, clock } = testDomain({ refreshTokenTtl: 7200 })
    clock.advance(0.9)
    const [early, late] = [(await clientSession(domain)).tokens, (await clientSession(domain)).tokens]
    const expiresAt = (decodeJwt(late.access_token).iat! + late.refresh_expires_in) * 1000
    expect(expiresAt).toBe(clock.now() - 900 + 7_200_000)
    clock.advance((expiresAt - 1 - clock.now()) / 1000)
    await expect(domain.refresh({ refreshToken: early.refresh_token })).resolves.toBeDefined()
    clock.advance(0.001)
    await expect(domain.refresh({ refreshToken: late.refresh_token })).rejects.toMatchObject({ code: 'token_expired' })
  })

  it('still answers token_expired (not invalid_token) after the clock sweep', async () => {
    const { domain, clock } = testDomain()
    const { tokens } = await clientSession(domain)
    clock.advance(43_201)
    domain.sweep()
    await expect(domain.refresh({ refreshToken: tokens.refresh_token })).rejects.toMatchObject({ code: 'token_expired' })
  })
})

describe('refresh after the session ended for any reason (AUTH-012)', () => {
  async function userSession(domain: Domain) {
    const user = await domain.createUser({ email: 'u@example.com', password: 'password-1' })
    const { tokens } = await domain.signIn({ email: 'u@example.com', password: 'password-1', address: ADDRESS })
    return { user, tokens: withRefresh(tokens) }
  }

  it.each<[string, (domain: Domain, ids: { keyId?: string; userId?: string; sessionId: string; access: string }) => unknown]>([
    ['session deleted', (domain, ids) => domain.endSession({ subject: { type: 'api_key', id: ids.keyId! }, role: 'client', namespaces: [], sessionId: ids.sessionId }, 'current')],
    ['access token revoked', (domain, ids) => domain.revoke({ token: ids.access })],
    ['key revoked', (domain, ids) => domain.revokeKey(ids.keyId!)],
    ['key rotated', (domain, ids) => domain.rotateKey(ids.keyId!)],
  ])('key session: %s', async (_name, end) => {
    const { domain } = testDomain()
    const { key, tokens } = await clientSession(domain)
    await end(domain, { keyId: key.id, sessionId: tokens.session_id, access: tokens.access_token })
    await expect(domain.refresh({ refreshToken: tokens.refresh_token })).rejects.toMatchObject({ code: 'token_revoked' })
    await expect(domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
  })

  it.each<[string, (domain: Domain, userId: string) => unknown]>([
    ['user deactivated', (domain, userId) => domain.updateUser(userId, { active: false })],
    ['user deleted', (domain, userId) => domain.deleteUser(userId)],
  ])('user session: %s', async (_name, end) => {
    const { domain } = testDomain()
    const { user, tokens } = await userSession(domain)
    await end(domain, user.id)
    await expect(domain.refresh({ refreshToken: tokens.refresh_token })).rejects.toMatchObject({ code: 'token_revoked' })
    await expect(domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
  })
})
