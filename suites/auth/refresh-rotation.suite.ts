// POST /v1/auth/refresh rotates: every refresh answers a new access token and a new
// single-use refresh token in the same session; presenting a used one is reuse, and
// reuse ends the whole session (RFC 9700 §4.14.2), but no other session.
import { describe, expect, it } from 'vitest'
import {
  api,
  decodeJwt,
  expectAccessAccepted,
  expectAccessRejected,
  expectProblem,
  expectRefreshed,
  expectRefreshRejected,
  given,
  type TokenResponse,
} from '../harness/index.ts'

function refresh(refreshToken: string) {
  return api.anonymous.post('/v1/auth/refresh', { refresh_token: refreshToken })
}

describe('AUTH-006 refresh rotates both tokens', () => {
  it('AUTH-006 a refresh answers a new access token and a new refresh token in the same session', async () => {
    const key = await given.key()
    const first = await given.session(key)
    const response = await refresh(first.refresh_token)
    expect(response.status).toBe(200)
    const second = response.body
    expect(second.token_type).toBe('Bearer')
    expect(second.access_token).not.toBe(first.access_token)
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect(second.session_id).toBe(first.session_id)
    const claims = decodeJwt(second.access_token).payload
    expect(claims.sid).toBe(first.session_id)
    expect(claims.sub).toBe(key.id)
    expect(claims.jti).not.toBe(decodeJwt(first.access_token).payload.jti)
    await expectAccessAccepted(second.access_token)
  })

  it('AUTH-006 rotation keeps one session: the key still lists only that session', async () => {
    const key = await given.key()
    const first = await given.session(key)
    const second = await expectRefreshed(first.refresh_token)
    const third = await expectRefreshed(second.refresh_token)
    const listed = await api.as({ bearer: third.access_token }).get('/v1/sessions')
    expect(listed.status).toBe(200)
    expect(listed.body.items.map((session) => session.id)).toEqual([first.session_id])
  })

  it('AUTH-006 a refreshed user session keeps the user as subject', async () => {
    const user = await given.user()
    const first = await given.signIn(user)
    const second = await expectRefreshed(first.refresh_token)
    expect(second.session_id).toBe(first.session_id)
    expect(decodeJwt(second.access_token).payload.sub).toBe(user.id)
    await expectAccessAccepted(second.access_token)
  })
})

describe('AUTH-007 a used refresh token is dead', () => {
  it('AUTH-007 presenting a refresh token a second time is answered 401', async () => {
    const first = await given.session(await given.key())
    await expectRefreshed(first.refresh_token)
    expectProblem(await refresh(first.refresh_token), 401, 'token_revoked')
  })
})

describe('AUTH-008 reuse of a refresh token revokes its session', () => {
  /** A session refreshed `rotations` times: every token response of it, oldest first. */
  async function rotatedSession(rotations: number): Promise<TokenResponse[]> {
    const chain = [await given.session(await given.key())]
    for (let i = 0; i < rotations; i += 1) chain.push(await expectRefreshed(chain.at(-1)!.refresh_token))
    return chain
  }

  it.each([
    ['the refresh token used just before', 1, 0],
    ['the first refresh token, two rotations later', 2, 0],
    ['the second-to-last refresh token', 3, 2],
  ])('AUTH-008 reusing %s revokes the newest refresh token and every access token', async (_case, rotations, reused) => {
    const chain = await rotatedSession(rotations)
    expectProblem(await refresh(chain[reused]!.refresh_token), 401, 'token_revoked')
    await expectRefreshRejected(chain.at(-1)!.refresh_token, 'token_revoked')
    for (const tokens of chain) await expectAccessRejected(tokens.access_token, 'token_revoked')
  })

  it('AUTH-008 the revoked session stays revoked and disappears from the list', async () => {
    const key = await given.key()
    const [first, second] = [await given.session(key), await given.session(key)]
    const newer = await expectRefreshed(first.refresh_token)
    await expectRefreshRejected(first.refresh_token, 'token_revoked')
    await expectRefreshRejected(newer.refresh_token, 'token_revoked')
    await expectAccessRejected(newer.access_token, 'token_revoked')
    const listed = await api.as({ bearer: second.access_token }).get('/v1/sessions')
    expect(listed.status).toBe(200)
    expect(listed.body.items.map((session) => session.id)).toEqual([second.session_id])
  })

  it('AUTH-008 reuse ends only its own session: another session of the same key lives on', async () => {
    const key = await given.key()
    const [victim, bystander] = [await given.session(key), await given.session(key)]
    await expectRefreshed(victim.refresh_token)
    await expectRefreshRejected(victim.refresh_token, 'token_revoked')
    await expectAccessAccepted(bystander.access_token)
    const rotated = await expectRefreshed(bystander.refresh_token)
    await expectAccessAccepted(rotated.access_token)
  })
})
