import { describe, expect, it } from 'vitest'
import { ADDRESS, ADMIN_ID, ADMIN_SECRET, START, bearer, clientSession, testDomain, withRefresh } from './testing.ts'

describe('listing sessions', () => {
  it('lists exactly the caller’s live sessions and marks the current one', async () => {
    const { domain, clock } = testDomain()
    const { key, tokens } = await clientSession(domain)
    clock.advance(1)
    const second = (await domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })).tokens
    const ended = (await domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })).tokens
    await domain.revoke({ token: withRefresh(ended).refresh_token })
    await clientSession(domain) // another subject
    const principal = await domain.authenticate(bearer(second.access_token))
    expect(domain.listSessions(principal)).toEqual([
      { id: tokens.session_id, subject: { type: 'api_key', id: key.id }, created_at: new Date(START).toISOString(),
        expires_at: new Date(START + 43_200_000).toISOString(), current: false },
      { id: second.session_id, subject: { type: 'api_key', id: key.id }, created_at: new Date(START + 1000).toISOString(),
        expires_at: new Date(START + 1000 + 43_200_000).toISOString(), current: true },
    ])
  })

  it('follows the refresh token: expires_at moves on refresh; fully expired sessions drop out', async () => {
    const { domain, clock } = testDomain()
    const { tokens } = await clientSession(domain)
    clock.advance(100)
    const next = await domain.refresh({ refreshToken: tokens.refresh_token })
    const principal = await domain.authenticate(bearer(next.access_token))
    expect(domain.listSessions(principal)[0]!.expires_at).toBe(new Date(START + 100_000 + 43_200_000).toISOString())
    clock.advance(43_200)
    expect(domain.listSessions(principal)).toEqual([])
  })
})

describe('ending sessions', () => {
  it('ends the caller’s own session by id or `current`, at once', async () => {
    const { domain } = testDomain()
    const { key, tokens } = await clientSession(domain)
    const other = (await domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })).tokens
    const principal = await domain.authenticate(bearer(tokens.access_token))
    domain.endSession(principal, other.session_id)
    await expect(domain.authenticate(bearer(other.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
    domain.endSession(principal, 'current')
    await expect(domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
    await expect(domain.refresh({ refreshToken: tokens.refresh_token })).rejects.toMatchObject({ code: 'token_revoked' })
  })

  it('answers not_found for another subject’s session, which stays live', async () => {
    const { domain } = testDomain()
    const mine = await clientSession(domain)
    const theirs = await clientSession(domain)
    const principal = await domain.authenticate(bearer(mine.tokens.access_token))
    expect(() => domain.endSession(principal, theirs.tokens.session_id)).toThrow(expect.objectContaining({ code: 'not_found' }))
    expect(await domain.authenticate(bearer(theirs.tokens.access_token))).toBeDefined()
  })

  it.each(['ses_UnknownUnknownUnkn', 'current'])('answers not_found for %s without a session', async (id) => {
    const { domain } = testDomain()
    // An ApiKey-scheme caller has no session, so `current` names nothing.
    const principal = await domain.authenticate({ scheme: 'apikey', keyId: ADMIN_ID, secret: ADMIN_SECRET })
    expect(() => domain.endSession(principal, id)).toThrow(expect.objectContaining({ code: 'not_found' }))
  })

  it('lets an admin end any session, and an ended session is not_found afterwards', async () => {
    const { domain } = testDomain()
    const theirs = await clientSession(domain)
    const admin = await domain.authenticate({ scheme: 'apikey', keyId: ADMIN_ID, secret: ADMIN_SECRET })
    domain.endSession(admin, theirs.tokens.session_id)
    await expect(domain.authenticate(bearer(theirs.tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
    expect(() => domain.endSession(admin, theirs.tokens.session_id)).toThrow(expect.objectContaining({ code: 'not_found' }))
  })
})
