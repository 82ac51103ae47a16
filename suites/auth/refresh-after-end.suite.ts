// AUTH-012: whatever ended a session, its refresh token cannot bring it back. Each row
// opens a session, ends it one documented way, then tries to refresh.
import { describe, expect, it } from 'vitest'
import { api, expectRefreshRejected, given, type TokenResponse } from '../harness/index.ts'

async function expectStatus(response: Promise<{ status: number; text: string }>, status: number): Promise<void> {
  const { status: seen, text } = await response
  expect(seen, text.slice(0, 200)).toBe(status)
}

async function keySession(end: (key: { id: string }, tokens: TokenResponse) => Promise<void>): Promise<TokenResponse> {
  const key = await given.key()
  const tokens = await given.session(key)
  await end(key, tokens)
  return tokens
}

async function userSession(end: (user: { id: string }) => Promise<void>): Promise<TokenResponse> {
  const user = await given.user()
  const tokens = await given.signIn(user)
  await end(user)
  return tokens
}

const endings: Array<[string, () => Promise<TokenResponse>]> = [
  ['its session was deleted', () =>
    keySession((_key, tokens) =>
      expectStatus(api.as({ bearer: tokens.access_token }).delete('/v1/sessions/{id}', { params: { id: tokens.session_id } }), 204))],
  ['its session was ended as `current`', () =>
    keySession((_key, tokens) =>
      expectStatus(api.as({ bearer: tokens.access_token }).delete('/v1/sessions/{id}', { params: { id: 'current' } }), 204))],
  ['its access token was revoked', () =>
    keySession((_key, tokens) => expectStatus(api.anonymous.post('/v1/auth/revoke', { token: tokens.access_token }), 200))],
  ['it was revoked itself', () =>
    keySession((_key, tokens) => expectStatus(api.anonymous.post('/v1/auth/revoke', { token: tokens.refresh_token }), 200))],
  ['its key was revoked', () =>
    keySession((key) => expectStatus(api.admin.delete('/v1/keys/{id}', { params: { id: key.id } }), 204))],
  ['its key was rotated', () =>
    keySession((key) => expectStatus(api.admin.post('/v1/keys/{id}/rotate', undefined, { params: { id: key.id } }), 200))],
  ['its user was deactivated', () =>
    userSession((user) => expectStatus(api.admin.patch('/v1/users/{id}', { active: false }, { params: { id: user.id } }), 200))],
  ['its user was deleted', () =>
    userSession((user) => expectStatus(api.admin.delete('/v1/users/{id}', { params: { id: user.id } }), 204))],
]

describe('AUTH-012 refresh after the session ended fails', () => {
  it.each(endings)('AUTH-012 a refresh token is answered 401 token_revoked once %s', async (_case, endedSession) => {
    const tokens = await endedSession()
    await expectRefreshRejected(tokens.refresh_token, 'token_revoked')
    // Still dead on a second try: the rejection itself must not have changed anything.
    await expectRefreshRejected(tokens.refresh_token, 'token_revoked')
  })
})
