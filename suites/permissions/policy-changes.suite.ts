// PERM-012: creating, replacing or deleting a policy changes the very next request of the
// affected callers, with the tokens they already hold (no re-login, no cache delay).
import { describe, expect, it } from 'vitest'
import { api, given, type PolicyInput } from '../harness/index.ts'
import { keySubject, subjectRef, uniqueNamespace, userSubject, visibleIds, type Subject } from './support.ts'

// The very tokens the callers held before each change: renewing them would let a target
// that fixes permissions in its tokens pass.
const HELD = { held: true }

async function listStatus(subject: Subject, dataset: string): Promise<number> {
  return (await subject.client.get('/v1/datasets/{name}/records', { params: { name: dataset } })).status
}

async function createPolicy(input: Omit<PolicyInput, 'description'>) {
  const policy = await given.policy(input)
  return policy.id
}

describe('PERM-012 policy changes take effect on the next request', () => {
  it('PERM-012 creating a policy grants at once, with the token already held', async () => {
    const dataset = await given.dataset()
    const reader = await keySubject(HELD)
    expect(await listStatus(reader, dataset), 'before the policy').toBe(403)
    await createPolicy({ subjects: [subjectRef(reader)], resources: [dataset], actions: ['read'], filters: [] })
    expect(await listStatus(reader, dataset), 'the very next request after the policy was created').toBe(200)
  })

  it('PERM-012 replacing a policy narrows, widens and removes grants at once', async () => {
    const dataset = await given.dataset()
    const reader = await keySubject(HELD)
    const small = await given.record(dataset, 'admin', { total: 5 })
    const large = await given.record(dataset, 'admin', { total: 500 })
    const id = await createPolicy({ subjects: [subjectRef(reader)], resources: [dataset], actions: ['read'], filters: [] })
    expect(await visibleIds(reader.client, dataset)).toEqual([small.id, large.id].sort())

    const replace = async (input: Omit<PolicyInput, 'description'>) => {
      const response = await api.admin.put('/v1/policies/{id}', { description: 'replaced', ...input }, { params: { id } })
      expect(response.status).toBe(200)
      expect(response.body.id, 'a replaced policy keeps its id').toBe(id)
    }
    await replace({ subjects: [subjectRef(reader)], resources: [dataset], actions: ['read'], filters: [{ field: 'total', op: 'gt', value: 100 }] })
    expect(await visibleIds(reader.client, dataset), 'narrowed by a filter').toEqual([large.id])
    await replace({ subjects: [subjectRef(reader)], resources: [dataset], actions: ['read'], filters: [{ field: 'total', op: 'lt', value: 100 }] })
    expect(await visibleIds(reader.client, dataset), 'another filter').toEqual([small.id])
    await replace({ subjects: [subjectRef(reader)], resources: [dataset], actions: ['create'], filters: [] })
    expect(await listStatus(reader, dataset), 'read no longer granted').toBe(403)
    const created = await reader.client.post('/v1/datasets/{name}/records', { total: 1 }, { params: { name: dataset } })
    expect(created.status, 'create granted instead').toBe(201)
  })

  it('PERM-012 replacing the subjects moves the grant from one caller to another at once', async () => {
    const dataset = await given.dataset()
    const [first, second] = [await keySubject(HELD), await keySubject(HELD)]
    const id = await createPolicy({ subjects: [subjectRef(first)], resources: [dataset], actions: ['read'], filters: [] })
    expect([await listStatus(first, dataset), await listStatus(second, dataset)]).toEqual([200, 403])
    const response = await api.admin.put('/v1/policies/{id}', { description: 'moved', subjects: [subjectRef(second)], resources: [dataset], actions: ['read'], filters: [] }, { params: { id } })
    expect(response.status).toBe(200)
    expect([await listStatus(first, dataset), await listStatus(second, dataset)]).toEqual([403, 200])
  })

  it('PERM-012 deleting a policy revokes the grant at once', async () => {
    const dataset = await given.dataset()
    const reader = await keySubject(HELD)
    const id = await createPolicy({ subjects: [subjectRef(reader)], resources: [dataset], actions: ['read'], filters: [] })
    expect(await listStatus(reader, dataset)).toBe(200)
    expect((await api.admin.delete('/v1/policies/{id}', { params: { id } })).status).toBe(204)
    expect(await listStatus(reader, dataset), 'the very next request after the delete').toBe(403)
    expect((await api.admin.get('/v1/policies/{id}', { params: { id } })).status, 'the policy is gone').toBe(404)
  })

  it('PERM-012 PERM-004 a namespace policy reaches signed-in members at once, and leaves at once', async () => {
    const dataset = await given.dataset()
    const namespace = uniqueNamespace()
    const member = await userSubject([namespace], HELD)
    expect(await listStatus(member, dataset)).toBe(403)
    const id = await createPolicy({ subjects: [{ type: 'namespace', id: namespace }], resources: [dataset], actions: ['read'], filters: [] })
    expect(await listStatus(member, dataset)).toBe(200)
    await api.admin.delete('/v1/policies/{id}', { params: { id } })
    expect(await listStatus(member, dataset)).toBe(403)
  })

  it('PERM-012 PERM-014 permissions/me and the evaluator follow the change at once', async () => {
    const dataset = await given.dataset()
    const reader = await keySubject(HELD)
    const mine = async () => (await reader.client.get('/v1/permissions/me')).body.policies.map((policy) => policy.id)
    const decision = async () => (await api.admin.post('/v1/permissions/check', { subject: subjectRef(reader), dataset, action: 'read' })).body.allowed
    expect([await mine(), await decision()]).toEqual([[], false])
    const id = await createPolicy({ subjects: [subjectRef(reader)], resources: [dataset], actions: ['read'], filters: [] })
    expect([await mine(), await decision()]).toEqual([[id], true])
    await api.admin.delete('/v1/policies/{id}', { params: { id } })
    expect([await mine(), await decision()]).toEqual([[], false])
  })
})
