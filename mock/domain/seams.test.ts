import { base64url, decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { defaultSeams, type Seams } from './seams.ts'
import { ADDRESS, START, bearer, clientSession, keyPrincipal, policy, testDomain } from './testing.ts'

/** Each seam replaced alone changes exactly the behaviour it names; the default keeps it right. */
describe('seams', () => {
  it('rotateRefresh: without rotation the presented refresh token stays usable', async () => {
    const keep: Partial<Seams> = { rotateRefresh: ({ presented }) => presented }
    for (const [seams, reusable] of [[{}, false], [keep, true]] as const) {
      const { domain } = testDomain({}, seams)
      const { tokens } = await clientSession(domain)
      const next = await domain.refresh({ refreshToken: tokens.refresh_token })
      expect(next.refresh_token === tokens.refresh_token).toBe(reusable)
      const again = domain.refresh({ refreshToken: tokens.refresh_token })
      if (reusable) await expect(again).resolves.toBeDefined()
      else await expect(again).rejects.toMatchObject({ code: 'token_revoked' })
    }
  })

  it('accessTokenLive: trusting cached tokens lets a revoked session through', async () => {
    const cached: Partial<Seams> = { accessTokenLive: (state) => state.cacheHit || defaultSeams.accessTokenLive(state) }
    const { domain } = testDomain({}, cached)
    const { tokens } = await clientSession(domain)
    await domain.revoke({ token: tokens.access_token })
    expect(await domain.authenticate(bearer(tokens.access_token))).toBeDefined()
  })

  it('checkAccessToken: decoding without verification accepts alg none', async () => {
    const unverified: Partial<Seams> = { checkAccessToken: (token, ways) => Promise.resolve(ways.decodeUnverified(token)) }
    for (const [seams, accepted] of [[{}, false], [unverified, true]] as const) {
      const { domain } = testDomain({}, seams)
      const { tokens } = await clientSession(domain)
      const payload = base64url.encode(JSON.stringify({ ...decodeJwt(tokens.access_token), jti: 'forged' }))
      const forged = `${base64url.encode('{"alg":"none"}')}.${payload}.`
      const result = domain.authenticate(bearer(forged))
      if (accepted) await expect(result).resolves.toBeDefined()
      else await expect(result).rejects.toMatchObject({ code: 'invalid_token' })
    }
  })

  it('capByKeyExpiry: without the cap tokens outlive their key', async () => {
    const { domain } = testDomain({}, { capByKeyExpiry: (expiresAt) => expiresAt })
    const { tokens } = await clientSession(domain, { expiresAt: new Date(START + 60_000).toISOString() })
    expect(tokens.expires_in).toBe(3600)
  })

  it('denial: always forbidden leaks the existence of unreadable records', () => {
    const { domain } = testDomain({}, { denial: () => 'forbidden' })
    domain.createDataset({ name: 'orders' })
    domain.createPolicy(policy({ subjects: [{ type: 'api_key', id: 'key_ClientClientClient01' }], filters: [{ owner: true }] }))
    const record = domain.seedRecord({ dataset: 'orders', owner: 'someone', fields: {} })
    expect(() => domain.getRecord({ principal: keyPrincipal('key_ClientClientClient01'), dataset: 'orders', id: record.id }))
      .toThrow(expect.objectContaining({ code: 'forbidden' }))
  })

  it('onUserDisabled: sessions survive deactivation only as far as the liveness check allows', async () => {
    const { domain } = testDomain({}, { onUserDisabled: () => undefined })
    const user = await domain.createUser({ email: 'u@example.com', password: 'password-1' })
    const { tokens } = await domain.signIn({ email: 'u@example.com', password: 'password-1', address: ADDRESS })
    await domain.updateUser(user.id, { active: false })
    await domain.updateUser(user.id, { active: true })
    // Not ended: reactivation brings the old session back (what SESS-007 forbids).
    expect(await domain.authenticate(bearer(tokens.access_token))).toBeDefined()
  })
})
