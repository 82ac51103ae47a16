// GET /v1/sessions and DELETE /v1/sessions/{id}: a subject sees and ends its own
// sessions only; ending one revokes its tokens at once; someone else's session is
// indistinguishable from one that does not exist (only admin keys may end it).
import { describe, expect, it } from 'vitest'
import {
  api,
  expectAccessAccepted,
  expectAccessRejected,
  expectProblem,
  expectRefreshed,
  expectRefreshRejected,
  given,
  target,
  type TokenResponse,
} from '../harness/index.ts'

async function listAs(tokens: TokenResponse): Promise<Array<{ id: string; current: boolean }>> {
  const response = await api.as({ bearer: tokens.access_token }).get('/v1/sessions')
  expect(response.status).toBe(200)
  return response.body.items.map(({ id, current }) => ({ id, current })).sort((a, b) => a.id.localeCompare(b.id))
}

function listing(current: TokenResponse, ...others: TokenResponse[]): Array<{ id: string; current: boolean }> {
  return [{ id: current.session_id, current: true }, ...others.map((tokens) => ({ id: tokens.session_id, current: false }))]
    .sort((a, b) => a.id.localeCompare(b.id))
}

function endSession(tokens: TokenResponse, id: string) {
  return api.as({ bearer: tokens.access_token }).delete('/v1/sessions/{id}', { params: { id } })
}

describe('SESS-004 callers list their own sessions only', () => {
  it('SESS-004 a key lists exactly its live sessions, the presenting one marked current', async () => {
    const key = await given.key()
    const [one, two, ended] = [await given.session(key), await given.session(key), await given.session(key)]
    const otherKey = await given.session(await given.key())
    const user = await given.signIn(await given.user())
    expect((await endSession(ended, 'current')).status).toBe(204)
    expect(await listAs(one)).toEqual(listing(one, two))
    expect(await listAs(two)).toEqual(listing(two, one))
    expect(await listAs(otherKey)).toEqual(listing(otherKey))
    expect(await listAs(user)).toEqual(listing(user))
  })

  it('SESS-004 a user lists exactly their sessions, with the user as subject', async () => {
    const user = await given.user()
    const [one, two] = [await given.signIn(user), await given.signIn(user)]
    await given.signIn(await given.user())
    const response = await api.as({ bearer: two.access_token }).get('/v1/sessions')
    expect(response.body.items.every((session) => session.subject.type === 'user' && session.subject.id === user.id)).toBe(true)
    expect(await listAs(two)).toEqual(listing(two, one))
  })

  it('SESS-004 admin callers see only their own sessions as well', async () => {
    const client = await given.session(await given.key())
    const response = await api.admin.get('/v1/sessions')
    expect(response.status).toBe(200)
    const ids = response.body.items.map((session) => session.id)
    expect(ids).not.toContain(client.session_id)
    for (const session of response.body.items) expect(session.subject).toEqual({ type: 'api_key', id: target.admin.key })
  })

  it('SESS-004 a listed session expires when its current refresh token does', async () => {
    const tokens = await given.session(await given.key())
    const [session] = (await api.as({ bearer: tokens.access_token }).get('/v1/sessions')).body.items
    const lifetime = (Date.parse(session!.expires_at) - Date.parse(session!.created_at)) / 1000
    expect(Math.abs(lifetime - tokens.refresh_expires_in), `expires_at − created_at = ${lifetime} s`).toBeLessThanOrEqual(1)
  })
})

describe('SESS-005 ending a session revokes its tokens at once', () => {
  const sessionRefs: Array<[string, (tokens: TokenResponse) => string]> = [
    ['its id', (tokens) => tokens.session_id],
    ['`current`', () => 'current'],
  ]

  it.each(sessionRefs)('SESS-005 DELETE /v1/sessions/{id} by %s answers 204 and its access and refresh tokens are 401', async (_case, id) => {
    const tokens = await given.session(await given.key())
    expect((await endSession(tokens, id(tokens))).status).toBe(204)
    await expectAccessRejected(tokens.access_token, 'token_revoked')
    await expectRefreshRejected(tokens.refresh_token, 'token_revoked')
  })

  it('SESS-005 a session ended from a sibling session is gone, and ending it again is 404', async () => {
    const key = await given.key()
    const [ended, sibling] = [await given.session(key), await given.session(key)]
    const refreshed = await expectRefreshed(ended.refresh_token)
    expect((await endSession(sibling, ended.session_id)).status).toBe(204)
    await expectAccessRejected(refreshed.access_token, 'token_revoked')
    await expectRefreshRejected(refreshed.refresh_token, 'token_revoked')
    expect(await listAs(sibling)).toEqual(listing(sibling))
    expectProblem(await endSession(sibling, ended.session_id), 404, 'not_found')
  })

  it('SESS-005 a user ends their own session with `current`', async () => {
    const user = await given.user()
    const [ended, kept] = [await given.signIn(user), await given.signIn(user)]
    expect((await endSession(ended, 'current')).status).toBe(204)
    await expectAccessRejected(ended.access_token, 'token_revoked')
    await expectAccessAccepted(kept.access_token)
  })
})

describe('SESS-006 other subjects\' sessions cannot be ended', () => {
  const owners: Array<[string, () => Promise<TokenResponse>]> = [
    ['another key', async () => given.session(await given.key())],
    ['a user', async () => given.signIn(await given.user())],
  ]
  const callers: Array<[string, () => Promise<TokenResponse>]> = [
    ['a client key', async () => given.session(await given.key())],
    ['a user', async () => given.signIn(await given.user())],
  ]

  describe.each(callers)('called by %s', (caller, asCaller) => {
    it.each(owners)(`SESS-006 ending the session of %s is 404 and the session stays live (caller: ${caller})`, async (_owner, asOwner) => {
      const [intruder, victim] = [await asCaller(), await asOwner()]
      expectProblem(await endSession(intruder, victim.session_id), 404, 'not_found')
      await expectAccessAccepted(victim.access_token)
      await expectRefreshed(victim.refresh_token)
    })
  })

  it('SESS-006 another subject\'s session reads exactly like a session that does not exist', async () => {
    const [intruder, victim] = [await given.session(await given.key()), await given.session(await given.key())]
    const foreign = expectProblem(await endSession(intruder, victim.session_id), 404, 'not_found')
    const missing = expectProblem(await endSession(intruder, `ses_${target.faker.string.alphanumeric(20)}`), 404, 'not_found')
    expect({ ...foreign, detail: foreign.detail.replace(victim.session_id, 'ID') }).toEqual(
      { ...missing, detail: missing.detail.replace(/ses_[A-Za-z0-9]+/, 'ID') },
    )
  })

  it('SESS-006 an admin key may end any session', async () => {
    const victim = await given.signIn(await given.user())
    const response = await api.admin.delete('/v1/sessions/{id}', { params: { id: victim.session_id } })
    expect(response.status).toBe(204)
    await expectAccessRejected(victim.access_token, 'token_revoked')
    await expectRefreshRejected(victim.refresh_token, 'token_revoked')
  })
})
