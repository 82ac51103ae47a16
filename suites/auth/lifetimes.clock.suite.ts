// Tokens live exactly as long as discovery declares: probed one second inside and one
// second outside their lifetime, counted on the target's clock from their own issue.
import { describe, expect, it } from 'vitest'
import {
  advanceTo,
  decodeJwt,
  expectAccessAccepted,
  expectAccessRejected,
  expectRefreshed,
  expectRefreshRejected,
  given,
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
