// The optional ApiKey scheme (feature apikey_scheme): `Authorization: ApiKey id:secret`
// authenticates a protected request as that key, with the key's role, and only while the
// key and that secret are live. Not held against targets that do not list the feature.
import { describe, expect, it } from 'vitest'
import { api, expectProblem, given, requireFeature, target } from '../harness/index.ts'

const refusedCredentials: Array<[string, () => Promise<{ id: string; secret: string }>]> = [
  ['a wrong secret', async () => ({ id: (await given.key()).id, secret: `sk_${target.faker.string.alphanumeric(40)}` })],
  ['an unknown key', async () => ({ id: `key_${target.faker.string.alphanumeric(24)}`, secret: `sk_${target.faker.string.alphanumeric(40)}` })],
  ['a revoked key', async () => {
    const key = await given.key()
    expect((await api.admin.delete('/v1/keys/{id}', { params: { id: key.id } })).status).toBe(204)
    return key
  }],
  ['the secret from before a rotation', async () => {
    const key = await given.key()
    // In use before the rotation, so nothing may remember the old secret as good.
    expect((await api.as({ apiKey: key }).get('/v1/sessions')).status).toBe(200)
    expect((await api.admin.post('/v1/keys/{id}/rotate', undefined, { params: { id: key.id } })).status).toBe(200)
    return key
  }],
]

describe('AUTH-013 the ApiKey scheme authenticates directly', () => {
  it('AUTH-013 a live key and its secret are accepted as that key', async () => {
    requireFeature('apikey_scheme')
    const key = await given.key()
    const me = await api.as({ apiKey: key }).get('/v1/permissions/me')
    expect(me.status).toBe(200)
    expect(me.body.subject).toEqual({ type: 'api_key', id: key.id })
    expect(me.body.role).toBe('client')
  })

  it('AUTH-013 KEY-008 the key keeps its role: an admin key manages keys, a client key is 403', async () => {
    requireFeature('apikey_scheme')
    const admin = await given.key({ role: 'admin' })
    const client = await given.key()
    expect((await api.as({ apiKey: admin }).get('/v1/keys')).status).toBe(200)
    expectProblem(await api.as({ apiKey: client }).get('/v1/keys'), 403, 'forbidden')
  })

  it('AUTH-013 SESS-004 an ApiKey caller sees its key\'s sessions, none of them current', async () => {
    requireFeature('apikey_scheme')
    const key = await given.key()
    const session = await given.session(key)
    const listed = await api.as({ apiKey: key }).get('/v1/sessions')
    expect(listed.status).toBe(200)
    expect(listed.body.items.map((item) => [item.id, item.current])).toEqual([[session.session_id, false]])
  })

  it('AUTH-013 an ApiKey caller has no current session: DELETE /v1/sessions/current is 404', async () => {
    requireFeature('apikey_scheme')
    const key = await given.key()
    expectProblem(await api.as({ apiKey: key }).delete('/v1/sessions/{id}', { params: { id: 'current' } }), 404, 'not_found')
  })

  it.each(refusedCredentials)('AUTH-013 %s is answered 401 invalid_credentials', async (_case, credentials) => {
    requireFeature('apikey_scheme')
    expectProblem(await api.as({ apiKey: await credentials() }).get('/v1/sessions'), 401, 'invalid_credentials')
  })

  it('AUTH-013 KEY-005 the secret issued by a rotation is accepted at once', async () => {
    requireFeature('apikey_scheme')
    const key = await given.key()
    const rotated = await api.admin.post('/v1/keys/{id}/rotate', undefined, { params: { id: key.id } })
    expect(rotated.status).toBe(200)
    const me = await api.as({ apiKey: { id: key.id, secret: rotated.body.secret } }).get('/v1/permissions/me')
    expect(me.status).toBe(200)
    expect(me.body.subject).toEqual({ type: 'api_key', id: key.id })
  })
})
