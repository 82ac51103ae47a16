// The declared lifetimes are the real ones: every token response of a session not bound
// by a key expiry carries exactly the TTLs discovery promises (the clock suite then
// checks that the tokens really live that long and no longer).
import { describe, expect, it } from 'vitest'
import { decodeJwt, expectRefreshed, given, target, type TokenResponse } from '../harness/index.ts'

const issuances: Array<[string, () => Promise<TokenResponse>]> = [
  ['a key exchange', async () => given.session(await given.key())],
  ['a user sign-in', async () => given.signIn(await given.user())],
  ['a refresh', async () => expectRefreshed((await given.session(await given.key())).refresh_token)],
  ['a refresh of a user session', async () => expectRefreshed((await given.signIn(await given.user())).refresh_token)],
]

describe('AUTH-003 access token lifetime equals the declared TTL', () => {
  it.each(issuances)('AUTH-003 after %s, expires_in and exp − iat both equal access_token_ttl', async (_case, issue) => {
    const tokens = await issue()
    const ttl = target.discovery.access_token_ttl
    const { iat, exp } = decodeJwt(tokens.access_token).payload
    expect(tokens.expires_in).toBe(ttl)
    expect(typeof iat).toBe('number')
    expect(exp! - iat!).toBe(ttl)
  })
})

describe('AUTH-005 refresh token lifetime equals the declared TTL', () => {
  it.each(issuances)('AUTH-005 after %s, refresh_expires_in equals refresh_token_ttl', async (_case, issue) => {
    const tokens = await issue()
    expect(tokens.refresh_expires_in).toBe(target.discovery.refresh_token_ttl)
  })
})
