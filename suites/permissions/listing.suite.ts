// Listing: exactly the union of what the read policies admit (PERM-007), page by page
// without gaps or repeats (PERM-018).
import { describe, expect, it } from 'vitest'
import { api, given } from '../harness/index.ts'
import { expectListing, keySubject, listAll, sortedIds, subjectRef, visibleIds } from './support.ts'

describe('PERM-007 listing returns exactly the union of readable records', () => {
  it('PERM-007 PERM-018 three read policies: the pages together hold each admitted record once, and no other', async () => {
    const dataset = await given.dataset()
    const reader = await keySubject()
    const me = subjectRef(reader)
    await given.policy({ subjects: [me], resources: [dataset], actions: ['read'], filters: [{ field: 'color', op: 'eq', value: 'red' }] })
    await given.policy({ subjects: [me], resources: [dataset], actions: ['read'], filters: [{ field: 'size', op: 'gte', value: 3 }] })
    await given.policy({ subjects: [me], resources: [dataset], actions: ['create', 'read'], filters: [{ owner: true }] })
    const expected: string[] = []
    for (let i = 0; i < 12; i += 1) {
      const fields = { color: i % 3 === 0 ? 'red' : 'blue', size: i % 5 }
      const record = await given.record(dataset, 'admin', fields)
      if (fields.color === 'red' || fields.size >= 3) expected.push(record.id)
    }
    for (let i = 0; i < 3; i += 1) expected.push((await given.record(dataset, reader.credential, { color: 'green', size: 0 })).id)

    const paged = await listAll(reader.client, dataset, 2)
    expect(paged.status).toBe(200)
    expect(paged.pages, 'limit 2 over more than 2 records takes several pages').toBeGreaterThan(1)
    await expectListing(reader.client, dataset, paged.records.map((record) => record.id), expected)
    expect(await visibleIds(reader.client, dataset), 'one big page holds the same set').toEqual(sortedIds(...expected))
  })

  it('PERM-007 a read policy on another dataset adds nothing', async () => {
    const [dataset, other] = [await given.dataset(), await given.dataset()]
    const reader = await keySubject()
    await given.policy({ subjects: [subjectRef(reader)], resources: [dataset], actions: ['read'], filters: [{ field: 'n', op: 'eq', value: 1 }] })
    await given.policy({ subjects: [subjectRef(reader)], resources: [other], actions: ['read'], filters: [] })
    const one = await given.record(dataset, 'admin', { n: 1 })
    await given.record(dataset, 'admin', { n: 2 })
    expect(await visibleIds(reader.client, dataset)).toEqual([one.id])
  })

  it('PERM-007 policies granting other actions only widen nothing for read', async () => {
    const dataset = await given.dataset()
    const reader = await keySubject()
    await given.policy({ subjects: [subjectRef(reader)], resources: [dataset], actions: ['read'], filters: [{ field: 'n', op: 'eq', value: 1 }] })
    await given.policy({ subjects: [subjectRef(reader)], resources: [dataset], actions: ['update', 'delete'], filters: [] })
    const one = await given.record(dataset, 'admin', { n: 1 })
    await given.record(dataset, 'admin', { n: 2 })
    expect(await visibleIds(reader.client, dataset)).toEqual([one.id])
  })
})

describe('PERM-018 record pages are complete and disjoint', () => {
  it('PERM-018 without limit a page holds at most 100 records; the last page has next_cursor null', async () => {
    const dataset = await given.dataset()
    const created: string[] = []
    for (let i = 0; i < 103; i += 1) created.push((await given.record(dataset, 'admin', { i })).id)
    const first = await api.admin.get('/v1/datasets/{name}/records', { params: { name: dataset } })
    expect(first.status).toBe(200)
    expect(first.body.items).toHaveLength(100)
    expect(first.body.next_cursor).toEqual(expect.any(String))
    const second = await api.admin.get('/v1/datasets/{name}/records', { params: { name: dataset }, query: { cursor: first.body.next_cursor! } })
    expect(second.status).toBe(200)
    expect(second.body.items).toHaveLength(3)
    expect(second.body.next_cursor).toBeNull()
    expect(sortedIds(...[...first.body.items, ...second.body.items].map((record) => record.id))).toEqual(sortedIds(...created))
  })

  it.each([1, 3, 7])('PERM-018 limit %i: pages of at most that size cover every record exactly once', async (limit) => {
    const dataset = await given.dataset()
    const created: string[] = []
    for (let i = 0; i < 7; i += 1) created.push((await given.record(dataset, 'admin', { i })).id)
    const paged = await listAll(api.admin, dataset, limit)
    // The page holding the last record is the last page: its next_cursor is null.
    expect(paged.pages).toBe(Math.ceil(7 / limit))
    expect(sortedIds(...paged.records.map((record) => record.id))).toEqual(sortedIds(...created))
  })

  it('PERM-018 an empty dataset is one empty page', async () => {
    const dataset = await given.dataset()
    const response = await api.admin.get('/v1/datasets/{name}/records', { params: { name: dataset } })
    expect(response.body).toEqual({ items: [], next_cursor: null })
  })
})
