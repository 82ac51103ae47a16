// /v1/keys: admin keys create keys whose secret is shown once and works at once; nobody
// else may touch key management; an expiry must lie in the future.
import { describe, expect, it } from 'vitest'
import {
  api,
  decodeJwt,
  expectProblem,
  given,
  onCleanup,
  target,
  time,
  type ApiResponse,
  type Credential,
} from '../harness/index.ts'

const KEY_ID = /^key_[A-Za-z0-9]{16,}$/

function exchange(key: { id: string; secret: string }) {
  return api.anonymous.post('/v1/auth/token', { api_key: key.id, api_secret: key.secret })
}

/** POST /v1/keys as the admin, removing whatever it creates at the end of the file. */
async function createKey(body: Record<string, unknown>): Promise<ApiResponse<any>> {
  const response = await api.admin.send({ method: 'post', path: '/v1/keys', body })
  if (response.status === 201) onCleanup(() => api.admin.delete('/v1/keys/{id}', { params: { id: response.body.id } }))
  return response
}

describe('KEY-001 a created key\'s secret is shown once', () => {
  it('KEY-001 POST /v1/keys answers 201 with a well-formed id, the secret and the key as asked', async () => {
    const description = `ac-${target.runId}-key-001`
    const response = await createKey({ description })
    expect(response.status).toBe(201)
    expect(response.body.id).toMatch(KEY_ID)
    expect(typeof response.body.secret).toBe('string')
    expect(response.body).toMatchObject({ description, role: 'client', expires_at: null, rotated_at: null })
  })

  it('KEY-001 GET /v1/keys/{id} and GET /v1/keys never return the secret', async () => {
    const key = await given.key()
    const one = await api.admin.get('/v1/keys/{id}', { params: { id: key.id } })
    expect(one.status).toBe(200)
    expect(one.body).not.toHaveProperty('secret')
    expect(one.text).not.toContain(key.secret)
    const { secret: _secret, ...listed } = key
    expect(one.body).toMatchObject(listed)
    const all = await api.admin.get('/v1/keys')
    expect(all.status).toBe(200)
    expect(all.body.items).toContainEqual(expect.objectContaining(listed))
    expect(all.text).not.toContain(key.secret)
    for (const item of all.body.items) expect(item).not.toHaveProperty('secret')
  })

  it('KEY-001 KEY-005 a rotated secret is not returned by GET either', async () => {
    const key = await given.key()
    const rotated = await api.admin.post('/v1/keys/{id}/rotate', undefined, { params: { id: key.id } })
    expect(rotated.status).toBe(200)
    for (const response of [await api.admin.get('/v1/keys/{id}', { params: { id: key.id } }), await api.admin.get('/v1/keys')]) {
      expect(response.text).not.toContain(rotated.body.secret)
      expect(response.text).not.toContain(key.secret)
    }
  })

  it('KEY-001 every created key gets its own id and secret', async () => {
    const [a, b] = [await given.key(), await given.key()]
    expect(a.id).not.toBe(b.id)
    expect(a.secret).not.toBe(b.secret)
  })
})

describe('KEY-002 a new key works at once', () => {
  it.each([['client'], ['admin']] as const)('KEY-002 a new %s key exchanges for tokens immediately, as itself', async (role) => {
    const key = await given.key({ role })
    const response = await exchange(key)
    expect(response.status).toBe(200)
    expect(decodeJwt(response.body.access_token).payload.sub).toBe(key.id)
    const me = await api.as({ bearer: response.body.access_token }).get('/v1/permissions/me')
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ subject: { type: 'api_key', id: key.id }, role })
  })
})

describe('KEY-008 key management is admin-only', () => {
  const callers: Array<[string, () => Promise<Credential>]> = [
    ['a client key\'s access token', async () => given.bearer(await given.key())],
    ['a user\'s access token', async () => given.bearer(await given.user())],
  ]
  const operations: Array<[string, string, string, boolean]> = [
    // [name, method, path, needs an existing key id]
    ['POST /v1/keys', 'post', '/v1/keys', false],
    ['GET /v1/keys', 'get', '/v1/keys', false],
    ['GET /v1/keys/{id}', 'get', '/v1/keys/{id}', true],
    ['DELETE /v1/keys/{id}', 'delete', '/v1/keys/{id}', true],
    ['POST /v1/keys/{id}/rotate', 'post', '/v1/keys/{id}/rotate', true],
  ]

  describe.each(callers)('with %s', (caller, credential) => {
    it.each(operations)(`KEY-008 %s is answered 403 forbidden (${caller}) and changes nothing`, async (_name, method, path, needsKey) => {
      const victim = await given.key()
      const response = await api.as(await credential()).send({
        method: method as 'get',
        path,
        params: needsKey ? { id: victim.id } : {},
        body: path === '/v1/keys' && method === 'post' ? { description: `ac-${target.runId}-forbidden`, role: 'admin' } : undefined,
      })
      if (response.status === 201) onCleanup(() => api.admin.delete('/v1/keys/{id}', { params: { id: response.body.id } }))
      expectProblem(response, 403, 'forbidden')
      // Neither revoked nor rotated: the victim's secret still exchanges.
      expect((await exchange(victim)).status).toBe(200)
    })
  })
})

describe('KEY-009 expires_at in the past is rejected', () => {
  it.each([
    ['a minute ago', -60],
    ['a day ago', -86_400],
    ['in the year 2000', undefined],
  ])('KEY-009 expires_at %s is answered 400 invalid_request and creates no key', async (_case, offsetSeconds) => {
    const now = await time.now()
    const expiresAt = offsetSeconds === undefined ? '2000-01-01T00:00:00Z' : new Date(now.getTime() + offsetSeconds * 1000).toISOString()
    const description = `ac-${target.runId}-past-${target.faker.string.alphanumeric(8)}`
    expectProblem(await createKey({ description, expires_at: expiresAt }), 400, 'invalid_request')
    const all = await api.admin.get('/v1/keys')
    expect(all.body.items.map((key) => key.description)).not.toContain(description)
  })

  it('KEY-009 an expires_at in the future is accepted and read back as the same instant', async () => {
    const now = await time.now()
    const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + 86_400_000)
    const key = await given.key({ expires_at: expiresAt.toISOString() })
    expect(Date.parse(key.expires_at!)).toBe(expiresAt.getTime())
    const read = await api.admin.get('/v1/keys/{id}', { params: { id: key.id } })
    expect(Date.parse(read.body.expires_at!)).toBe(expiresAt.getTime())
  })
})
