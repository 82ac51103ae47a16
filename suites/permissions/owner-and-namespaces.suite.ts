// Whom a policy reaches: the owner filter (PERM-003) and namespace subjects (PERM-004).
import { beforeAll, describe, expect, it } from 'vitest'
import { api, crediting, given } from '../harness/index.ts'
import { keySubject, subjectRef, uniqueNamespace, userSubject, visibleIds, type Subject } from './support.ts'

describe('PERM-003 the owner filter admits the caller’s own records only', () => {
  let dataset: string
  let first: Subject
  let second: Subject
  let user: Subject

  beforeAll(async () => {
    dataset = await given.dataset()
    ;[first, second, user] = [await keySubject(), await keySubject(), await userSubject()]
    await given.policy({
      subjects: [subjectRef(first), subjectRef(second), subjectRef(user)],
      resources: [dataset],
      actions: ['create', 'read'],
      filters: [{ owner: true }],
    })
  })

  it('PERM-003 PERM-016 a record’s owner is the creating subject: key id or user id', async () => {
    for (const subject of [first, second, user]) {
      const record = await given.record(dataset, subject.credential, { note: 'mine' })
      expect(record.owner).toBe(subject.caller.id)
    }
  })

  it('PERM-003 each subject lists exactly the records it created', async () => {
    const byFirst = await given.record(dataset, first.credential, { n: 1 })
    const bySecond = await given.record(dataset, second.credential, { n: 2 })
    await given.record(dataset, 'admin', { n: 3 })
    const firstIds = await visibleIds(first.client, dataset)
    const secondIds = await visibleIds(second.client, dataset)
    expect(firstIds).toContain(byFirst.id)
    expect(firstIds).not.toContain(bySecond.id)
    expect(secondIds).toContain(bySecond.id)
    expect(secondIds).not.toContain(byFirst.id)
    const adminView = await api.admin.get('/v1/datasets/{name}/records', { params: { name: dataset }, query: { limit: 1000 } })
    for (const record of adminView.body.items) {
      expect(firstIds.includes(record.id), `record ${record.id} owned by ${record.owner}`).toBe(record.owner === first.caller.id)
    }
  })

  it('PERM-003 PERM-011 another subject’s record is not found, not forbidden', async () => {
    const theirs = await given.record(dataset, second.credential, { n: 4 })
    const response = await first.client.get('/v1/datasets/{name}/records/{id}', { params: { name: dataset, id: theirs.id } })
    // Read: the owner filter let it through (PERM-003); 403: its existence leaked (PERM-011).
    crediting(response.status === 403 ? ['PERM-011'] : ['PERM-003'], () => expect(response.status).toBe(404))
  })
})

describe('PERM-004 namespace subjects apply to their members and to no one else', () => {
  let dataset: string
  let namespace: string
  let member: Subject
  let twoNamespaces: Subject
  let outsider: Subject
  let key: Subject
  let policyId: string

  beforeAll(async () => {
    dataset = await given.dataset()
    namespace = uniqueNamespace()
    member = await userSubject([namespace])
    twoNamespaces = await userSubject([uniqueNamespace(), namespace])
    outsider = await userSubject([uniqueNamespace()])
    key = await keySubject()
    policyId = (await given.policy({ subjects: [{ type: 'namespace', id: namespace }], resources: [dataset], actions: ['read'], filters: [] })).id
    await given.record(dataset, 'admin', { n: 1 })
    await given.record(dataset, 'admin', { n: 2 })
  })

  it('PERM-004 every member of the namespace gets the policy', async () => {
    const all = await visibleIds(api.admin, dataset)
    expect(await visibleIds(member.client, dataset)).toEqual(all)
    expect(await visibleIds(twoNamespaces.client, dataset)).toEqual(all)
  })

  it.each([
    ['a user in other namespaces only', () => outsider],
    ['an API key (keys belong to no namespace)', () => key],
  ])('PERM-004 PERM-010 %s does not get it: 403', async (_, who) => {
    const response = await who().client.get('/v1/datasets/{name}/records', { params: { name: dataset } })
    expect(response.status).toBe(403)
  })

  it('PERM-004 PERM-015 the evaluator applies namespace policies to members only', async () => {
    const ask = async (subject: { type: 'api_key' | 'user' | 'namespace'; id: string }) =>
      (await api.admin.post('/v1/permissions/check', { subject, dataset, action: 'read' })).body
    expect(await ask(subjectRef(member))).toEqual({ allowed: true, matched_policies: [policyId] })
    expect(await ask({ type: 'namespace', id: namespace })).toEqual({ allowed: true, matched_policies: [policyId] })
    expect(await ask(subjectRef(outsider))).toEqual({ allowed: false, matched_policies: [] })
    expect(await ask(subjectRef(key))).toEqual({ allowed: false, matched_policies: [] })
  })

  it('PERM-004 a change of a user’s namespaces reaches the token the user already holds', async () => {
    const joining = uniqueNamespace()
    const user = await given.user({ namespaces: [namespace] })
    const client = api.as({ bearer: (await given.signIn(user)).access_token })
    const joinedDataset = await given.dataset()
    await given.policy({ subjects: [{ type: 'namespace', id: joining }], resources: [joinedDataset], actions: ['read'], filters: [] })
    const list = async (name: string) => (await client.get('/v1/datasets/{name}/records', { params: { name } })).status
    expect([await list(dataset), await list(joinedDataset)], 'before the change').toEqual([200, 403])
    const moved = await api.admin.patch('/v1/users/{id}', { namespaces: [joining] }, { params: { id: user.id } })
    expect(moved.status).toBe(200)
    expect([await list(dataset), await list(joinedDataset)], 'removed from one namespace, added to another: the same token').toEqual([403, 200])
  })

  it('PERM-004 a namespace policy reaches only the datasets it names', async () => {
    const other = await given.dataset()
    await given.record(other, 'admin', { n: 3 })
    const response = await member.client.get('/v1/datasets/{name}/records', { params: { name: other } })
    expect(response.status, 'the namespace policy names another dataset').toBe(403)
  })
})
