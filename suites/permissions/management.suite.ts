// Management is admin-only (PERM-013), callers see their effective policies (PERM-014),
// dataset names are unique and deleting a dataset removes its records (PERM-019).
import { beforeAll, describe, expect, it } from 'vitest'
import { api, crediting, expectProblem, given, target, type UntypedRequest } from '../harness/index.ts'
import { keySubject, subjectRef, uniqueNamespace, userSubject, visibleIds, type Subject } from './support.ts'

describe('PERM-013 management is admin-only', () => {
  let dataset: string
  let policyId: string
  let userId: string
  let callers: [string, Subject][]

  beforeAll(async () => {
    dataset = await given.dataset()
    policyId = (await given.policy({ subjects: [{ type: 'namespace', id: uniqueNamespace() }], resources: [dataset], actions: ['read'], filters: [] })).id
    userId = (await given.user()).id
    callers = [
      ['a client key', await keySubject()],
      ['a user', await userSubject([uniqueNamespace()])],
    ]
  })

  // Valid bodies, so that only the caller's role can be the reason for a refusal.
  const OPERATIONS: [string, () => UntypedRequest][] = [
    ['POST /v1/policies', () => ({ method: 'post', path: '/v1/policies', body: { description: 'x', subjects: [{ type: 'namespace', id: 'x' }], resources: [dataset], actions: ['read'], filters: [] } })],
    ['GET /v1/policies', () => ({ method: 'get', path: '/v1/policies' })],
    ['GET /v1/policies/{id}', () => ({ method: 'get', path: '/v1/policies/{id}', params: { id: policyId } })],
    ['PUT /v1/policies/{id}', () => ({ method: 'put', path: '/v1/policies/{id}', params: { id: policyId }, body: { description: 'x', subjects: [{ type: 'namespace', id: 'x' }], resources: [dataset], actions: ['create'], filters: [] } })],
    ['DELETE /v1/policies/{id}', () => ({ method: 'delete', path: '/v1/policies/{id}', params: { id: policyId } })],
    ['POST /v1/users', () => ({ method: 'post', path: '/v1/users', body: { email: `${target.faker.string.alphanumeric(12).toLowerCase()}@example.test`, password: 'long enough password' } })],
    ['GET /v1/users', () => ({ method: 'get', path: '/v1/users' })],
    ['GET /v1/users/{id}', () => ({ method: 'get', path: '/v1/users/{id}', params: { id: userId } })],
    ['PATCH /v1/users/{id}', () => ({ method: 'patch', path: '/v1/users/{id}', params: { id: userId }, body: { active: false } })],
    ['DELETE /v1/users/{id}', () => ({ method: 'delete', path: '/v1/users/{id}', params: { id: userId } })],
    ['POST /v1/datasets', () => ({ method: 'post', path: '/v1/datasets', body: { name: `${dataset}x` } })],
    ['GET /v1/datasets', () => ({ method: 'get', path: '/v1/datasets' })],
    ['DELETE /v1/datasets/{name}', () => ({ method: 'delete', path: '/v1/datasets/{name}', params: { name: dataset } })],
    ['POST /v1/permissions/check', () => ({ method: 'post', path: '/v1/permissions/check', body: { subject: { type: 'namespace', id: 'x' }, dataset, action: 'read' } })],
  ]

  it.each(OPERATIONS)('PERM-013 ERR-008 %s by a non-admin is 403 forbidden', async (_, request) => {
    for (const [who, caller] of callers) {
      const response = await caller.client.send(request())
      // Let through is PERM-013's failure; 401 instead of 403 is ERR-008's (expectProblem credits it).
      if (response.status < 300) crediting(['PERM-013'], () => expect(response.status, `${who}: ${response.text.slice(0, 200)}`).toBe(403))
      expectProblem(response, 403, 'forbidden')
    }
  })

  it('PERM-013 the refused management calls changed nothing', async () => {
    const policy = await api.admin.get('/v1/policies/{id}', { params: { id: policyId } })
    expect(policy.status).toBe(200)
    expect(policy.body.actions).toEqual(['read'])
    const user = await api.admin.get('/v1/users/{id}', { params: { id: userId } })
    expect(user.body.active).toBe(true)
    const datasets = await api.admin.get('/v1/datasets')
    const names = datasets.body.items.map((item) => item.name)
    expect(names).toContain(dataset)
    expect(names).not.toContain(`${dataset}x`)
  })

  it('PERM-013 an admin lists every policy, each as it reads on its own', async () => {
    const listed = await api.admin.get('/v1/policies')
    expect(listed.status).toBe(200)
    const own = listed.body.items.find((policy) => policy.id === policyId)
    const single = await api.admin.get('/v1/policies/{id}', { params: { id: policyId } })
    expect(own, `policy ${policyId} missing from GET /v1/policies`).toEqual(single.body)
  })

  it('PERM-013 an admin key sees and changes every record without any policy', async () => {
    const owner = callers[0]![1]
    const ownDataset = await given.dataset()
    await given.policy({ subjects: [subjectRef(owner)], resources: [ownDataset], actions: ['create'], filters: [] })
    const record = await given.record(ownDataset, owner.credential, { n: 1 })
    expect(await visibleIds(api.admin, ownDataset)).toEqual([record.id])
    const patched = await api.admin.patch('/v1/datasets/{name}/records/{id}', { n: 2 }, { params: { name: ownDataset, id: record.id } })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ n: 2, owner: owner.caller.id })
    const deleted = await api.admin.delete('/v1/datasets/{name}/records/{id}', { params: { name: ownDataset, id: record.id } })
    expect(deleted.status).toBe(204)
  })
})

describe('PERM-014 permissions/me lists exactly the caller’s effective policies', () => {
  it('PERM-014 PERM-004 a user gets its direct policies and those of its namespaces, nothing else', async () => {
    const dataset = await given.dataset()
    const [inside, alsoInside, outside] = [uniqueNamespace(), uniqueNamespace(), uniqueNamespace()]
    const user = await userSubject([inside, alsoInside])
    const other = await userSubject([outside])
    const key = await keySubject()
    const policy = (subject: { type: 'api_key' | 'user' | 'namespace'; id: string }) =>
      given.policy({ subjects: [subject], resources: [dataset], actions: ['read'], filters: [] }).then((created) => created.id)
    const direct = await policy(subjectRef(user))
    const viaNamespace = await policy({ type: 'namespace', id: inside })
    const viaOther = await policy({ type: 'namespace', id: alsoInside })
    const both = (await given.policy({ subjects: [subjectRef(key), { type: 'namespace', id: inside }], resources: [dataset], actions: ['update'], filters: [] })).id
    await policy({ type: 'namespace', id: outside })
    await policy(subjectRef(other))
    const forKey = await policy(subjectRef(key))

    const me = await user.client.get('/v1/permissions/me')
    expect(me.status).toBe(200)
    expect(me.body.subject).toEqual(subjectRef(user))
    expect(me.body.role).toBe('user')
    expect([...me.body.namespaces].sort()).toEqual([inside, alsoInside].sort())
    expect(me.body.policies.map((p) => p.id).sort()).toEqual([direct, viaNamespace, viaOther, both].sort())

    const keyMe = await key.client.get('/v1/permissions/me')
    expect(keyMe.body).toMatchObject({ subject: subjectRef(key), role: 'client', namespaces: [] })
    expect(keyMe.body.policies.map((p) => p.id).sort()).toEqual([both, forKey].sort())
  })

  it('PERM-014 PERM-004 follows a change of the user’s namespaces, with the token already held', async () => {
    const dataset = await given.dataset()
    const namespace = uniqueNamespace()
    const policyId = (await given.policy({ subjects: [{ type: 'namespace', id: namespace }], resources: [dataset], actions: ['read'], filters: [] })).id
    const user = await given.user({ namespaces: [namespace] })
    const client = api.as({ bearer: (await given.signIn(user)).access_token })
    const mine = async () => {
      const me = await client.get('/v1/permissions/me')
      expect(me.status).toBe(200)
      return { namespaces: me.body.namespaces, policies: me.body.policies.map((policy) => policy.id) }
    }
    expect(await mine()).toEqual({ namespaces: [namespace], policies: [policyId] })
    expect((await api.admin.patch('/v1/users/{id}', { namespaces: [] }, { params: { id: user.id } })).status).toBe(200)
    expect(await mine(), 'no longer a member').toEqual({ namespaces: [], policies: [] })
  })

  it('PERM-014 the policies are returned whole, as stored', async () => {
    const dataset = await given.dataset()
    const key = await keySubject()
    const stored = await given.policy({ subjects: [subjectRef(key)], resources: [dataset], actions: ['read', 'delete'], filters: [{ owner: true }, { field: 'n', op: 'in', value: [1, 'a'] }] })
    const me = await key.client.get('/v1/permissions/me')
    expect(me.body.policies).toEqual([stored])
  })

  it('PERM-014 the admin key sees role admin', async () => {
    const me = await api.admin.get('/v1/permissions/me')
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ subject: { type: 'api_key', id: target.admin.key }, role: 'admin' })
  })
})

describe('PERM-019 dataset names are unique and deletion removes the records', () => {
  it('PERM-019 creating an existing dataset is 409 conflict', async () => {
    const dataset = await given.dataset()
    expectProblem(await api.admin.post('/v1/datasets', { name: dataset }), 409, 'conflict')
  })

  it('PERM-019 ERR-014 a deleted dataset and its records are 404', async () => {
    const dataset = await given.dataset()
    const record = await given.record(dataset, 'admin', { n: 1 })
    expect((await api.admin.delete('/v1/datasets/{name}', { params: { name: dataset } })).status).toBe(204)
    expectProblem(await api.admin.get('/v1/datasets/{name}/records', { params: { name: dataset } }), 404, 'not_found')
    expectProblem(await api.admin.get('/v1/datasets/{name}/records/{id}', { params: { name: dataset, id: record.id } }), 404, 'not_found')
    expectProblem(await api.admin.delete('/v1/datasets/{name}', { params: { name: dataset } }), 404, 'not_found')
    const names = (await api.admin.get('/v1/datasets')).body.items.map((item) => item.name)
    expect(names).not.toContain(dataset)
  })

  it('PERM-019 a dataset created again after deletion starts empty', async () => {
    const dataset = await given.dataset()
    await given.record(dataset, 'admin', { n: 1 })
    await api.admin.delete('/v1/datasets/{name}', { params: { name: dataset } })
    expect((await api.admin.post('/v1/datasets', { name: dataset })).status).toBe(201)
    expect(await visibleIds(api.admin, dataset)).toEqual([])
  })

  it.each(['Upper', '1digit', 'with space', 'a'.repeat(64)])('PERM-019 the dataset name %j is 400 (lower case, starts with a letter, at most 63)', async (name) => {
    expectProblem(await api.admin.send({ method: 'post', path: '/v1/datasets', body: { name } }), 400, 'invalid_request')
  })
})
