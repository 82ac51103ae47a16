import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { ADDRESS, bearer, clientSession, keyPrincipal, testDomain } from './testing.ts'

describe('refresh access_only (Machinable): a refresh answers a new access token, the refresh token stays', () => {
  it('answers a new access token in the same session and the same refresh token with the time it has left', async () => {
    const { domain, clock } = testDomain({ semantics: { refresh: 'access_only' } })
    const { tokens } = await clientSession(domain)
    clock.advance(100)
    const next = await domain.refresh({ refreshToken: tokens.refresh_token })
    expect(next.access_token).not.toBe(tokens.access_token)
    expect(next).toMatchObject({ session_id: tokens.session_id, refresh_token: tokens.refresh_token, expires_in: 3600, refresh_expires_in: 43_100 })
    expect(decodeJwt(next.access_token).sid).toBe(tokens.session_id)
    expect(await domain.authenticate(bearer(next.access_token))).toMatchObject({ sessionId: tokens.session_id })
  })

  it('the refresh token is reusable, presenting it again ends nothing, and every access token stays live', async () => {
    const { domain } = testDomain({ semantics: { refresh: 'access_only' } })
    const { tokens } = await clientSession(domain)
    const first = await domain.refresh({ refreshToken: tokens.refresh_token })
    const second = await domain.refresh({ refreshToken: tokens.refresh_token })
    expect(second.access_token).not.toBe(first.access_token)
    for (const access of [tokens.access_token, first.access_token, second.access_token]) {
      expect(await domain.authenticate(bearer(access))).toMatchObject({ sessionId: tokens.session_id })
    }
  })

  it('the refresh token still expires refresh_token_ttl after its issue, and ending the session still kills it', async () => {
    const { domain, clock } = testDomain({ semantics: { refresh: 'access_only' }, refreshTokenTtl: 7200 })
    const { tokens } = await clientSession(domain)
    clock.advance(7199)
    await expect(domain.refresh({ refreshToken: tokens.refresh_token })).resolves.toMatchObject({ refresh_expires_in: 1 })
    clock.advance(1)
    await expect(domain.refresh({ refreshToken: tokens.refresh_token })).rejects.toMatchObject({ code: 'token_expired' })

    const live = (await clientSession(domain)).tokens
    await domain.revoke({ token: live.refresh_token })
    await expect(domain.refresh({ refreshToken: live.refresh_token })).rejects.toMatchObject({ code: 'token_revoked' })
  })
})

describe('refresh none (ekoDB, the datasets platform): no refresh token at all', () => {
  it('an exchange and a sign-in answer an access token without refresh fields, and store no refresh token', async () => {
    const { domain } = testDomain({ semantics: { refresh: 'none' } })
    const key = domain.createKey({ description: 'client' })
    const { tokens } = await domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })
    expect(Object.keys(tokens).sort()).toEqual(['access_token', 'expires_in', 'session_id', 'token_type'])
    await domain.createUser({ email: 'u@example.com', password: 'password-1' })
    const signedIn = (await domain.signIn({ email: 'u@example.com', password: 'password-1', address: ADDRESS })).tokens
    expect(signedIn.refresh_token).toBeUndefined()
    expect(domain.stateCounts()).toMatchObject({ sessions: 2, refreshTokens: 0 })
    expect(await domain.authenticate(bearer(tokens.access_token))).toMatchObject({ sessionId: tokens.session_id })
  })

  it('refreshing is refused as an unknown token; a client exchanges its key again', async () => {
    const { domain } = testDomain({ semantics: { refresh: 'none' } })
    await expect(domain.refresh({ refreshToken: `rt_${'A'.repeat(43)}` })).rejects.toMatchObject({
      code: 'invalid_token',
      message: 'No refresh tokens are issued: exchange the key or sign in again.',
    })
  })

  it('a session lives as long as its access token: listed until then, with that expiry', async () => {
    const { domain, clock, config } = testDomain({ semantics: { refresh: 'none' } })
    const key = domain.createKey({ description: 'client' })
    const { tokens } = await domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })
    const principal = { ...keyPrincipal(key.id), sessionId: tokens.session_id }
    const [session] = domain.listSessions(principal)
    expect(Date.parse(session!.expires_at) - Date.parse(session!.created_at)).toBe(config.accessTokenTtl * 1000)
    clock.advance(config.accessTokenTtl)
    expect(domain.listSessions(principal)).toEqual([])
    await expect(domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_expired' })
  })
})
