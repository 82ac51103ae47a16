// DELETE /v1/keys/{id} and POST /v1/keys/{id}/rotate take effect on the very next
// request: the old secret stops exchanging and every token issued under it before —
// access and refresh, of every session — is dead; other keys are untouched.
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

function exchange(key: { id: string; secret: string }) {
  return api.anonymous.post('/v1/auth/token', { api_key: key.id, api_secret: key.secret })
}

function revokeKey(id: string) {
  return api.admin.delete('/v1/keys/{id}', { params: { id } })
}

function rotateKey(id: string) {
  return api.admin.post('/v1/keys/{id}/rotate', undefined, { params: { id } })
}

/** Two sessions of the key, one of them refreshed: three access tokens, two live refresh tokens. */
async function liveTokens(key: { id: string; secret: string }): Promise<{ access: string[]; refresh: string[] }> {
  const first = await given.session(key)
  const second = await given.session(key)
  const refreshed: TokenResponse = await expectRefreshed(second.refresh_token)
  return {
    access: [first.access_token, second.access_token, refreshed.access_token],
    refresh: [first.refresh_token, refreshed.refresh_token],
  }
}

describe('KEY-003 revoking a key stops new exchanges', () => {
  it('KEY-003 after DELETE (204) the secret is 401 invalid_credentials and the key is 404', async () => {
    const key = await given.key()
    expect((await revokeKey(key.id)).status).toBe(204)
    expectProblem(await exchange(key), 401, 'invalid_credentials')
    expectProblem(await api.admin.get('/v1/keys/{id}', { params: { id: key.id } }), 404, 'not_found')
    const all = await api.admin.get('/v1/keys')
    expect(all.body.items.map((listed) => listed.id)).not.toContain(key.id)
  })

  it('KEY-003 a revoked key stays revoked: revoking again and rotating are 404, the secret stays refused', async () => {
    const key = await given.key()
    expect((await revokeKey(key.id)).status).toBe(204)
    expectProblem(await revokeKey(key.id), 404, 'not_found')
    expectProblem(await rotateKey(key.id), 404, 'not_found')
    expectProblem(await exchange(key), 401, 'invalid_credentials')
  })
})

describe('KEY-004 revoking a key kills its live tokens at once', () => {
  it('KEY-004 every access token of the key is 401 token_revoked and every refresh token 401', async () => {
    const key = await given.key()
    const tokens = await liveTokens(key)
    // The newest access token of each session works before the revocation.
    await expectAccessAccepted(tokens.access[0]!)
    await expectAccessAccepted(tokens.access[2]!)
    expect((await revokeKey(key.id)).status).toBe(204)
    for (const access of tokens.access) await expectAccessRejected(access, 'token_revoked')
    for (const refresh of tokens.refresh) await expectRefreshRejected(refresh, 'token_revoked')
  })

  it('KEY-004 other keys\' sessions are untouched', async () => {
    const [revoked, other] = [await given.key(), await given.key()]
    await given.session(revoked)
    const survivor = await given.session(other)
    expect((await revokeKey(revoked.id)).status).toBe(204)
    await expectAccessAccepted(survivor.access_token)
    await expectAccessAccepted((await expectRefreshed(survivor.refresh_token)).access_token)
  })
})

describe('KEY-005 rotation kills the old secret and earlier tokens', () => {
  it('KEY-005 rotate answers 200 with a new secret for the same key and sets rotated_at', async () => {
    const key = await given.key()
    const response = await rotateKey(key.id)
    expect(response.status).toBe(200)
    expect(response.body.id).toBe(key.id)
    expect(response.body.secret).not.toBe(key.secret)
    expect(response.body.rotated_at).not.toBeNull()
    const read = await api.admin.get('/v1/keys/{id}', { params: { id: key.id } })
    expect(read.body.rotated_at).toBe(response.body.rotated_at)
  })

  it('KEY-005 the old secret is 401 invalid_credentials and the new one exchanges at once', async () => {
    const key = await given.key()
    // A key in use: the old secret has exchanged before, so nothing may remember it as good.
    await given.session(key)
    const rotated = await rotateKey(key.id)
    expect(rotated.status).toBe(200)
    expectProblem(await exchange(key), 401, 'invalid_credentials')
    const fresh = await exchange({ id: key.id, secret: rotated.body.secret })
    expect(fresh.status).toBe(200)
    expect(decodeJwt(fresh.body.access_token).payload.sub).toBe(key.id)
    await expectAccessAccepted(fresh.body.access_token)
  })

  it('KEY-005 every access and refresh token issued before the rotation is 401', async () => {
    const key = await given.key()
    const tokens = await liveTokens(key)
    expect((await rotateKey(key.id)).status).toBe(200)
    for (const access of tokens.access) await expectAccessRejected(access, 'token_revoked')
    for (const refresh of tokens.refresh) await expectRefreshRejected(refresh, 'token_revoked')
  })

  it('KEY-005 tokens issued after the rotation survive it; a second rotation kills them and the first new secret', async () => {
    const key = await given.key()
    const first = await rotateKey(key.id)
    const afterFirst = await given.session({ id: key.id, secret: first.body.secret })
    await expectAccessAccepted(afterFirst.access_token)
    const rotatedAgain = await expectRefreshed(afterFirst.refresh_token)
    const second = await rotateKey(key.id)
    expect(second.status).toBe(200)
    await expectAccessRejected(rotatedAgain.access_token, 'token_revoked')
    await expectRefreshRejected(rotatedAgain.refresh_token, 'token_revoked')
    expectProblem(await exchange({ id: key.id, secret: first.body.secret }), 401, 'invalid_credentials')
    expect((await exchange({ id: key.id, secret: second.body.secret })).status).toBe(200)
  })
})
