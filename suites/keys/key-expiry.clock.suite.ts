// A key's expires_at bounds everything issued under it: no token claims to live longer,
// none is accepted afterwards, and the key itself stops exchanging — from the very second
// of expires_at on (probed exactly with the control clock). Each case gives its key a
// lifetime shorter than the access token TTL, so the cap is what decides.
import { describe, expect, it } from 'vitest'
import {
  advanceTo,
  atSecond,
  api,
  caseAssumes,
  decodeJwt,
  expectAccessAccepted,
  expectAccessRejected,
  expectProblem,
  expectRefreshed,
  expectRefreshRejected,
  given,
  notVerified,
  requireExactInstants,
  target,
  time,
  type CreatedKey,
  type TokenResponse,
} from '../harness/index.ts'

/** Whole seconds a test key lives: shorter than both token TTLs, so the cap decides. */
function keyLifetime(): number {
  const lifetime = Math.min(600, target.discovery.access_token_ttl - 1, target.discovery.refresh_token_ttl - 1)
  if (lifetime < 2) notVerified('token TTLs under 3 s leave no room for a key that expires before its tokens')
  return lifetime
}

/** A key expiring `lifetime` whole seconds from the target's now (at most; ≥ 1 s left). */
async function expiringKey(lifetime = keyLifetime()): Promise<{ key: CreatedKey; expiresAt: number }> {
  const expiresAt = Math.floor((await time.now()).getTime() / 1000) + lifetime
  const key = await given.key({ expires_at: new Date(expiresAt * 1000).toISOString() })
  return { key, expiresAt }
}

function exchange(key: { id: string; secret: string }) {
  return api.anonymous.post('/v1/auth/token', { api_key: key.id, api_secret: key.secret })
}

/**
 * The lifetimes a token answer states are capped. Under a profile whose wire answers carry
 * no lifetimes, the profile states them (its documented TTLs): that says nothing of a key
 * that expires sooner, so only the target's acceptance of its tokens can be checked.
 */
const ANSWERED_LIFETIMES = { token_lifetimes: ['answered'] } as const

function expectCappedBy(tokens: TokenResponse, expiresAt: number): void {
  const { iat, exp } = decodeJwt(tokens.access_token).payload
  expect(exp!, `exp ${exp} must not pass the key's expires_at ${expiresAt}`).toBeLessThanOrEqual(expiresAt)
  expect(iat! + tokens.expires_in, 'expires_in reaches past the key\'s expires_at').toBeLessThanOrEqual(expiresAt)
  expect(iat! + tokens.refresh_expires_in, 'refresh_expires_in reaches past the key\'s expires_at').toBeLessThanOrEqual(expiresAt)
}

describe('KEY-007 no token outlives its key', () => {
  it('KEY-007 an exchange under an expiring key caps exp, expires_in and refresh_expires_in at expires_at', async () => {
    caseAssumes(ANSWERED_LIFETIMES)
    const { key, expiresAt } = await expiringKey()
    const response = await exchange(key)
    expect(response.status).toBe(200)
    expectCappedBy(response.body, expiresAt)
  })

  it('KEY-007 a refresh under an expiring key is capped the same way', async () => {
    caseAssumes(ANSWERED_LIFETIMES)
    const { key, expiresAt } = await expiringKey()
    expectCappedBy(await expectRefreshed((await given.session(key)).refresh_token), expiresAt)
  })

  it('KEY-007 the key\'s sessions are listed as expiring no later than the key', async () => {
    const { key, expiresAt } = await expiringKey()
    const tokens = await given.session(key)
    const listed = await api.as({ bearer: tokens.access_token }).get('/v1/sessions')
    expect(listed.status).toBe(200)
    for (const session of listed.body.items) expect(Date.parse(session.expires_at)).toBeLessThanOrEqual(expiresAt * 1000)
  })

  it('KEY-007 tokens work until the key expires and none is accepted after it', async () => {
    const lifetime = keyLifetime()
    time.require(lifetime + 2)
    const { key, expiresAt } = await expiringKey(lifetime)
    const tokens = await given.session(key)
    await advanceTo(expiresAt - 1, 'at-most')
    await expectAccessAccepted(tokens.access_token)
    const refreshed = await expectRefreshed(tokens.refresh_token)
    await advanceTo(expiresAt + 1, 'at-least')
    for (const access of [tokens.access_token, refreshed.access_token]) await expectAccessRejected(access, 'token_expired')
    await expectRefreshRejected(refreshed.refresh_token, 'token_expired')
  })

  it('KEY-007 the key\'s tokens are accepted in the second before expires_at and refused in that very second', async () => {
    requireExactInstants()
    const { key, expiresAt } = await expiringKey(Math.min(5, keyLifetime()))
    const tokens = await given.session(key)
    const refreshed = await atSecond(expiresAt - 1, async () => {
      await expectAccessAccepted(tokens.access_token)
      return expectRefreshed(tokens.refresh_token)
    })
    await atSecond(expiresAt, async () => {
      for (const access of [tokens.access_token, refreshed.access_token]) await expectAccessRejected(access, 'token_expired')
      await expectRefreshRejected(refreshed.refresh_token, 'token_expired')
    })
  })
})

describe('KEY-006 an expired key cannot exchange', () => {
  it('KEY-006 AUTH-011 a key whose expires_at has passed is answered 401 invalid_credentials, like a wrong secret', async () => {
    const lifetime = keyLifetime()
    time.require(lifetime + 2)
    const { key, expiresAt } = await expiringKey(lifetime)
    await advanceTo(expiresAt + 1, 'at-least')
    const expired = expectProblem(await exchange(key), 401, 'invalid_credentials')
    const live = await given.key()
    const wrong = expectProblem(await exchange({ id: live.id, secret: `${live.secret}x` }), 401, 'invalid_credentials')
    expect(expired).toEqual(wrong)
  })

  it('KEY-006 a key exchanges in the second before its expires_at and is 401 invalid_credentials in that second and the one after', async () => {
    requireExactInstants()
    const { key, expiresAt } = await expiringKey(Math.min(5, keyLifetime()))
    await atSecond(expiresAt - 1, async () => expect((await exchange(key)).status, 'the exchange in the second before expires_at').toBe(200))
    for (const second of [expiresAt, expiresAt + 1]) {
      await atSecond(second, async () => expectProblem(await exchange(key), 401, 'invalid_credentials'))
    }
  })
})

describe('PERM-020 an expired key is still a subject of the evaluator', () => {
  it('PERM-020 an expired key is answered by the policies naming it', async () => {
    const lifetime = keyLifetime()
    time.require(lifetime + 1)
    const { key, expiresAt } = await expiringKey(lifetime)
    const dataset = await given.dataset()
    const policy = await given.policy({ subjects: [{ type: 'api_key', id: key.id }], resources: [dataset], actions: ['read'], filters: [] })
    await advanceTo(expiresAt + 1, 'at-least')
    const response = await api.admin.post('/v1/permissions/check', { subject: { type: 'api_key', id: key.id }, dataset, action: 'read' })
    expect(response.status).toBe(200)
    expect(response.body).toEqual({ allowed: true, matched_policies: [policy.id] })
  })
})
