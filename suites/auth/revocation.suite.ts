// POST /v1/auth/revoke (RFC 7009): the token is the capability, the answer is always
// 200 {}, and a genuine token's whole session ends at once — no other session does.
import { describe, expect, it } from 'vitest'
import {
  api,
  expectAccessAccepted,
  expectAccessRejected,
  expectRefreshRejected,
  given,
  target,
  type TokenResponse,
} from '../harness/index.ts'

async function revoke(token: string): Promise<void> {
  const response = await api.anonymous.post('/v1/auth/revoke', { token })
  expect(response.status, response.text.slice(0, 200)).toBe(200)
  expect(response.body).toEqual({})
}

const meaninglessTokens: Array<[string, () => string]> = [
  ['an unknown refresh token', () => `rt_${target.faker.string.alphanumeric(43)}`],
  ['a string that is no token at all', () => 'not a token'],
  ['an empty string', () => ''],
  ['a JWT-shaped string with a bogus signature', () => 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
]

describe('AUTH-009 the revocation endpoint ends the token\'s session', () => {
  describe.each([
    ['an access token', (tokens: TokenResponse) => tokens.access_token],
    ['a refresh token', (tokens: TokenResponse) => tokens.refresh_token],
  ])('revoking with %s', (kind, pick) => {
    it(`AUTH-009 revoking with ${kind} answers 200 {} and kills the session's access and refresh tokens`, async () => {
      const tokens = await given.session(await given.key())
      await revoke(pick(tokens))
      await expectAccessRejected(tokens.access_token, 'token_revoked')
      await expectRefreshRejected(tokens.refresh_token, 'token_revoked')
    })

    it(`AUTH-009 revoking with ${kind} of a refreshed session kills the newest tokens too`, async () => {
      const first = await given.session(await given.key())
      const refreshed = await api.anonymous.post('/v1/auth/refresh', { refresh_token: first.refresh_token })
      expect(refreshed.status).toBe(200)
      const newest = refreshed.body
      // The access token of the first issue is still a token of this session.
      await revoke(kind === 'an access token' ? first.access_token : newest.refresh_token)
      await expectAccessRejected(newest.access_token, 'token_revoked')
      await expectRefreshRejected(newest.refresh_token, 'token_revoked')
    })

    it(`AUTH-009 revoking with ${kind} of a user session ends it`, async () => {
      const tokens = await given.signIn(await given.user())
      await revoke(pick(tokens))
      await expectAccessRejected(tokens.access_token, 'token_revoked')
      await expectRefreshRejected(tokens.refresh_token, 'token_revoked')
    })
  })

  it('AUTH-009 only the token\'s session ends: the key\'s other session lives on and is still listed', async () => {
    const key = await given.key()
    const [revoked, kept] = [await given.session(key), await given.session(key)]
    await revoke(revoked.refresh_token)
    await expectAccessAccepted(kept.access_token)
    const listed = await api.as({ bearer: kept.access_token }).get('/v1/sessions')
    expect(listed.body.items.map((session) => session.id)).toEqual([kept.session_id])
  })

  it('AUTH-009 revoking twice is 200 both times and the session stays ended', async () => {
    const tokens = await given.session(await given.key())
    await revoke(tokens.access_token)
    await revoke(tokens.access_token)
    await expectAccessRejected(tokens.access_token, 'token_revoked')
  })

  it.each(meaninglessTokens)('AUTH-009 %s is answered 200 {} as well', async (_case, token) => {
    await revoke(token())
  })
})
