// Users, keys, policies, datasets and permissions over real sockets: each operation's
// happy path and its main errors (403 for non-admins, 404 for unknown ids, 409 clashes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectProblem, FIXTURE_USERS, startTestMock, type TestMock } from './test-support.ts'

let mock: TestMock
let admin: string
let alice: string

beforeAll(async () => {
  mock = await startTestMock()
  admin = await mock.adminToken()
  alice = await mock.signIn(FIXTURE_USERS.alice.email, FIXTURE_USERS.alice.password)
})
afterAll(() => mock?.close())

describe('users', () => {
  it('create, list, get, update and delete a user; never a password in any answer', async () => {
    const created = await mock.call('POST', '/v1/users', {
      token: admin,
      body: { email: 'erin@example.test', password: 'erin-dev-password', namespaces: ['registered'] },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ email: 'erin@example.test', namespaces: ['registered'], active: true })
    const id = created.body.id
    const list = await mock.call('GET', '/v1/users', { token: admin })
    expect(list.body.items.map((user: { id: string }) => user.id)).toContain(id)
    expect((await mock.call('GET', `/v1/users/${id}`, { token: admin })).body.email).toBe('erin@example.test')
    const patched = await mock.call('PATCH', `/v1/users/${id}`, { token: admin, body: { namespaces: ['staff'] } })
    expect(patched.status).toBe(200)
    expect(patched.body.namespaces).toEqual(['staff'])
    for (const reply of [created, list, patched]) expect(reply.text).not.toMatch(/password|erin-dev/)
    expect((await mock.call('DELETE', `/v1/users/${id}`, { token: admin })).status).toBe(204)
    expectProblem(await mock.call('GET', `/v1/users/${id}`, { token: admin }), 404, 'not_found')
  })

  it('a taken email is 409, an empty patch 400, a non-admin 403', async () => {
    const body = { email: 'ALICE@example.test', password: 'another-password' }
    expectProblem(await mock.call('POST', '/v1/users', { token: admin, body }), 409, 'conflict')
    expectProblem(await mock.call('PATCH', `/v1/users/${FIXTURE_USERS.bob.id}`, { token: admin, body: {} }), 400, 'invalid_request')
    expectProblem(await mock.call('GET', '/v1/users', { token: alice }), 403, 'forbidden')
  })
})

describe('keys', () => {
  it('create (secret once), list and get (no secret), rotate, delete', async () => {
    const created = await mock.call('POST', '/v1/keys', { token: admin, body: { description: 'billing service' } })
    expect(created.status).toBe(201)
    expect(created.headers['cache-control']).toBe('no-store')
    expect(created.body).toMatchObject({ description: 'billing service', role: 'client', expires_at: null })
    const { id, secret } = created.body
    expect(secret).toMatch(/^sk_/)
    const list = await mock.call('GET', '/v1/keys', { token: admin })
    expect(list.body.items.map((key: { id: string }) => key.id)).toContain(id)
    expect(list.text).not.toContain(secret)
    const one = await mock.call('GET', `/v1/keys/${id}`, { token: admin })
    expect(one.body.id).toBe(id)
    expect(one.body).not.toHaveProperty('secret')
    const rotated = await mock.call('POST', `/v1/keys/${id}/rotate`, { token: admin })
    expect(rotated.status).toBe(200)
    expect(rotated.headers['cache-control']).toBe('no-store')
    expect(rotated.body.secret).not.toBe(secret)
    const oldSecret = await mock.call('POST', '/v1/auth/token', { body: { api_key: id, api_secret: secret } })
    expectProblem(oldSecret, 401, 'invalid_credentials')
    expect((await mock.call('DELETE', `/v1/keys/${id}`, { token: admin })).status).toBe(204)
    expectProblem(await mock.call('GET', `/v1/keys/${id}`, { token: admin }), 404, 'not_found')
  })

  it('expires_at in the past is 400; non-admins are 403', async () => {
    const past = { description: 'late', expires_at: '2001-01-01T00:00:00Z' }
    expectProblem(await mock.call('POST', '/v1/keys', { token: admin, body: past }), 400, 'invalid_request')
    expectProblem(await mock.call('GET', '/v1/keys', { token: alice }), 403, 'forbidden')
    expectProblem(await mock.call('POST', `/v1/keys/${'key_unknownUnknown000000'}/rotate`, { token: admin }), 404, 'not_found')
  })
})

describe('policies and datasets', () => {
  const policy = {
    description: 'registered users read notes',
    subjects: [{ type: 'namespace', id: 'registered' }],
    resources: ['notes'],
    actions: ['read'],
    filters: [],
  }

  it('create, list, get, replace and delete a policy', async () => {
    const created = await mock.call('POST', '/v1/policies', { token: admin, body: policy })
    expect(created.status).toBe(201)
    const id = created.body.id
    expect((await mock.call('GET', '/v1/policies', { token: admin })).body.items.map((p: { id: string }) => p.id)).toContain(id)
    expect((await mock.call('GET', `/v1/policies/${id}`, { token: admin })).body).toMatchObject(policy)
    const replaced = await mock.call('PUT', `/v1/policies/${id}`, { token: admin, body: { ...policy, actions: ['read', 'create'] } })
    expect(replaced.body.actions).toEqual(['read', 'create'])
    expect((await mock.call('DELETE', `/v1/policies/${id}`, { token: admin })).status).toBe(204)
    expectProblem(await mock.call('GET', `/v1/policies/${id}`, { token: admin }), 404, 'not_found')
  })

  it('a filter with an unknown operator is 400; a non-admin is 403', async () => {
    const bad = { ...policy, filters: [{ field: 'total', op: 'like', value: 1 }] }
    expectProblem(await mock.call('POST', '/v1/policies', { token: admin, body: bad }), 400, 'invalid_request')
    expectProblem(await mock.call('POST', '/v1/policies', { token: alice, body: policy }), 403, 'forbidden')
  })

  it('create, list and delete a dataset; a bad name is 400', async () => {
    const created = await mock.call('POST', '/v1/datasets', { token: admin, body: { name: 'notes' } })
    expect(created.status).toBe(201)
    expect(created.body.name).toBe('notes')
    const names = (await mock.call('GET', '/v1/datasets', { token: admin })).body.items.map((d: { name: string }) => d.name)
    expect(names).toEqual(expect.arrayContaining(['orders', 'posts', 'notes']))
    expectProblem(await mock.call('POST', '/v1/datasets', { token: admin, body: { name: 'Bad Name' } }), 400, 'invalid_request')
    expect((await mock.call('DELETE', '/v1/datasets/notes', { token: admin })).status).toBe(204)
    expectProblem(await mock.call('DELETE', '/v1/datasets/notes', { token: admin }), 404, 'not_found')
  })
})

describe('permissions', () => {
  it('getMyPermissions lists the policies that apply to the caller', async () => {
    const me = await mock.call('GET', '/v1/permissions/me', { token: alice })
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ subject: { type: 'user', id: FIXTURE_USERS.alice.id }, role: 'user', namespaces: ['registered'] })
    expect(me.body.policies.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining(['pol_ownOrders00000000000', 'pol_bigOrders00000000000']),
    )
    expect(me.body.policies.map((p: { id: string }) => p.id)).not.toContain('pol_staffReadAll00000000')
  })

  it('checkPermission evaluates the Jexia pair with OR', async () => {
    const check = (record: object) =>
      mock.call('POST', '/v1/permissions/check', {
        token: admin,
        body: { subject: { type: 'user', id: FIXTURE_USERS.alice.id }, dataset: 'orders', action: 'read', record },
      })
    const bigForeign = await check({ owner: FIXTURE_USERS.bob.id, total: 250 })
    expect(bigForeign.body).toEqual({ allowed: true, matched_policies: ['pol_bigOrders00000000000'] })
    const smallForeign = await check({ owner: FIXTURE_USERS.bob.id, total: 12 })
    expect(smallForeign.body).toEqual({ allowed: false, matched_policies: [] })
    expectProblem(
      await mock.call('POST', '/v1/permissions/check', { token: alice, body: { subject: { type: 'user', id: 'x' }, dataset: 'orders', action: 'read' } }),
      403,
      'forbidden',
    )
  })
})
