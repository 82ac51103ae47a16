// Tokens live exactly as long as discovery declares: probed one second inside and one
// second outside their lifetime, counted on the target's clock from their own issue —
// and, with the control clock, in the very second of their expiry (RFC 7519: expired on
// or after `exp`).
import { describe, expect, it } from 'vitest'
import {
  advanceTo,
  atSecond,
  decodeJwt,
  expectAccessAccepted,
  expectAccessRejected,
  expectRefreshed,
  expectRefreshRejected,
  given,
  requireExactInstants,
  target,
  time,
  type TokenResponse,
} from '../harness/index.ts'

/** When the tokens of a response were issued (the access token's `iat`, seconds). */
function issuedAt(tokens: TokenResponse): number {
  const { iat } = decodeJwt(tokens.access_token).payload
  expect(typeof iat, 'the access token carries iat').toBe('number')
  return iat!
}

const accessIssuances: Array<[string, () => Promise<TokenResponse>]> = [
  ['a key exchange', async () => given.session(await given.key())],
  ['a user sign-in', async () => given.signIn(await given.user())],
  ['a refresh', async () => expectRefreshed((await given.session(await given.key())).refresh_token)],
]

describe('AUTH-004 an access token is valid until its expiry and rejected after', () => {
  it.each(accessIssuances)('AUTH-004 an access token from %s is accepted at TTL − 1 s and answered 401 token_expired at TTL + 1 s', async (_case, issue) => {
    const ttl = target.discovery.access_token_ttl
    time.require(ttl + 2)
    const tokens = await issue()
    const issued = issuedAt(tokens)
    await advanceTo(issued + ttl - 1, 'at-most')
    await expectAccessAccepted(tokens.access_token)
    await advanceTo(issued + ttl + 1, 'at-least')
    await expectAccessRejected(tokens.access_token, 'token_expired')
  })

  it.each(accessIssuances)('AUTH-004 an access token from %s is accepted in the second before its exp and answered 401 token_expired in the second of exp and the one after', async (_case, issue) => {
    requireExactInstants()
    const tokens = await issue()
    const { exp } = decodeJwt(tokens.access_token).payload
    expect(exp, 'exp = iat + access_token_ttl').toBe(issuedAt(tokens) + target.discovery.access_token_ttl)
    await atSecond(exp! - 1, () => expectAccessAccepted(tokens.access_token))
    await atSecond(exp!, () => expectAccessRejected(tokens.access_token, 'token_expired'))
    await atSecond(exp! + 1, () => expectAccessRejected(tokens.access_token, 'token_expired'))
  })
})

describe('AUTH-005 a refresh token is valid until its expiry and rejected after', () => {
  it('AUTH-005 a refresh token works at TTL − 1 s and is answered 401 token_expired at TTL + 1 s', async () => {
    const ttl = target.discovery.refresh_token_ttl
    time.require(ttl + 2)
    const key = await given.key()
    // Two sessions issued together: the first is spent by the "still valid" probe.
    const early = await given.session(key)
    const late = await given.session(key)
    await advanceTo(issuedAt(early) + ttl - 1, 'at-most')
    await expectRefreshed(early.refresh_token)
    await advanceTo(issuedAt(late) + ttl + 1, 'at-least')
    await expectRefreshRejected(late.refresh_token, 'token_expired')
  })

  it('AUTH-005 a refresh token works in the second before iat + refresh_expires_in and is answered 401 token_expired in that second and the one after', async () => {
    requireExactInstants()
    const key = await given.key()
    // Two sessions: the first is spent by the "still valid" probe.
    const [early, late] = [await given.session(key), await given.session(key)]
    const expiry = (tokens: TokenResponse) => issuedAt(tokens) + tokens.refresh_expires_in
    await atSecond(expiry(early) - 1, () => expectRefreshed(early.refresh_token))
    await atSecond(expiry(late), () => expectRefreshRejected(late.refresh_token, 'token_expired'))
    await atSecond(expiry(late) + 1, () => expectRefreshRejected(late.refresh_token, 'token_expired'))
  })

  it('AUTH-005 each refresh token\'s lifetime counts from its own issue, not from the sign-in', async () => {
    const ttl = target.discovery.refresh_token_ttl
    time.require(2 * ttl)
    const first = await given.signIn(await given.user())
    await advanceTo(issuedAt(first) + ttl - 1, 'at-most')
    const second = await expectRefreshed(first.refresh_token)
    expect(second.refresh_expires_in).toBe(ttl)
    // Well past the first refresh token's expiry, still inside the second's.
    await advanceTo(issuedAt(second) + ttl - 1, 'at-most')
    await expectRefreshed(second.refresh_token)
  })
})
