// How policies combine: OR across policies (PERM-001), AND within one (PERM-002).
import { beforeAll, describe, expect, it } from 'vitest'
import { api, crediting, given } from '../harness/index.ts'
import { expectListing, keySubject, sortedIds, subjectRef, uniqueNamespace, userSubject, visibleIds, type Subject } from './support.ts'

describe('PERM-001 policies combine with OR (the Jexia pair)', () => {
  let orders: string
  let member: Subject
  let otherMember: Subject
  let own: { id: string }
  let big: { id: string }
  const created: Record<string, string> = {}

  beforeAll(async () => {
    orders = await given.dataset()
    const registered = uniqueNamespace()
    member = await userSubject([registered])
    otherMember = await userSubject([registered])
    // Policy 1: CRUD on the dataset for the namespace, own records only.
    own = await given.policy({
      subjects: [{ type: 'namespace', id: registered }],
      resources: [orders],
      actions: ['create', 'read', 'update', 'delete'],
      filters: [{ owner: true }],
    })
    // Policy 2: read every order over 100.
    big = await given.policy({
      subjects: [{ type: 'namespace', id: registered }],
      resources: [orders],
      actions: ['read'],
      filters: [{ field: 'total', op: 'gt', value: 100 }],
    })
    for (const [label, subject, total] of [
      ['mine50', member, 50],
      ['mine150', member, 150],
      ['theirs20', otherMember, 20],
      ['theirs500', otherMember, 500],
    ] as const) {
      created[label] = (await given.record(orders, subject.credential, { total })).id
    }
  })

  it('PERM-001 PERM-007 a member lists its own records plus every record over 100', async () => {
    // A listing that single reads contradict is PERM-007's failure; one they confirm, the OR's (PERM-001).
    await expectListing(member.client, orders, await visibleIds(member.client, orders), sortedIds(created.mine50, created.mine150, created.theirs500))
    await expectListing(otherMember.client, orders, await visibleIds(otherMember.client, orders), sortedIds(created.theirs20, created.theirs500, created.mine150))
  })

  it('PERM-001 a record admitted by either policy alone can be read', async () => {
    for (const id of [created.mine50, created.theirs500]) {
      const response = await member.client.get('/v1/datasets/{name}/records/{id}', { params: { name: orders, id: id! } })
      expect(response.status, `reading ${id}`).toBe(200)
    }
  })

  it('PERM-001 PERM-015 the evaluator matches both policies on an own record over 100, one on the others', async () => {
    const ask = async (id: string) => {
      const stored = await api.admin.get('/v1/datasets/{name}/records/{id}', { params: { name: orders, id } })
      const response = await api.admin.post('/v1/permissions/check', {
        subject: subjectRef(member),
        dataset: orders,
        action: 'read',
        record: stored.body as Record<string, unknown>,
      })
      expect(response.status).toBe(200)
      return [...response.body.matched_policies].sort()
    }
    expect(await ask(created.mine150!)).toEqual([own.id, big.id].sort())
    expect(await ask(created.mine50!)).toEqual([own.id])
    expect(await ask(created.theirs500!)).toEqual([big.id])
    expect(await ask(created.theirs20!)).toEqual([])
  })

  it('PERM-001 a policy without filters admits every record, whatever a narrower policy says', async () => {
    const reader = await keySubject()
    await given.policy({ subjects: [subjectRef(reader)], resources: [orders], actions: ['read'], filters: [{ field: 'total', op: 'gt', value: 100 }] })
    await given.policy({ subjects: [subjectRef(reader)], resources: [orders], actions: ['read', 'update'], filters: [] })
    expect(await visibleIds(reader.client, orders)).toHaveLength(Object.keys(created).length)
  })
})

describe('PERM-002 the filters of one policy combine with AND', () => {
  it('PERM-002 a record is admitted only when every filter of the policy holds', async () => {
    const dataset = await given.dataset()
    const reader = await keySubject()
    await given.policy({
      subjects: [subjectRef(reader)],
      resources: [dataset],
      actions: ['read'],
      filters: [
        { field: 'status', op: 'eq', value: 'open' },
        { field: 'total', op: 'gt', value: 100 },
      ],
    })
    const both = await given.record(dataset, 'admin', { status: 'open', total: 150 })
    await given.record(dataset, 'admin', { status: 'open', total: 50 })
    await given.record(dataset, 'admin', { status: 'closed', total: 150 })
    await given.record(dataset, 'admin', { status: 'open' })
    expect(await visibleIds(reader.client, dataset)).toEqual([both.id])
  })

  it('PERM-002 PERM-003 an owner filter and a condition must both hold', async () => {
    const dataset = await given.dataset()
    const writer = await keySubject()
    await given.policy({
      subjects: [subjectRef(writer)],
      resources: [dataset],
      actions: ['create', 'read'],
      filters: [{ owner: true }, { field: 'total', op: 'gt', value: 100 }],
    })
    const ownBig = await given.record(dataset, writer.credential, { total: 101 })
    await given.record(dataset, 'admin', { total: 500 })
    const ownSmall = await writer.client.post('/v1/datasets/{name}/records', { total: 100 }, { params: { name: dataset } })
    // An own record failing the condition created: the filters were not AND'd (PERM-002).
    crediting(['PERM-002'], () => expect(ownSmall.status, 'creating an own record that fails the condition').toBe(403))
    // With the create refused, another's record listed: the owner filter did not hold (PERM-003).
    const listed = await visibleIds(writer.client, dataset)
    crediting(['PERM-003'], () => expect(listed).toEqual([ownBig.id]))
  })

  it('PERM-002 a policy created without filters gets the default [] and admits every record', async () => {
    const dataset = await given.dataset()
    const reader = await keySubject()
    // `filters` left out of the body: the contract's default applies, an AND over nothing.
    const policy = await given.policy({ subjects: [subjectRef(reader)], resources: [dataset], actions: ['read'] })
    expect(policy.filters, 'the created policy as answered').toEqual([])
    const stored = await api.admin.get('/v1/policies/{id}', { params: { id: policy.id } })
    expect(stored.status).toBe(200)
    expect(stored.body.filters, 'the policy as stored').toEqual([])
    const records = [
      await given.record(dataset, 'admin', { status: 'open', total: 150 }),
      await given.record(dataset, 'admin', { total: -1 }),
      await given.record(dataset, 'admin', {}),
    ]
    expect(await visibleIds(reader.client, dataset)).toEqual(sortedIds(...records.map((record) => record.id)))
  })
})
