// Writes under policies: create checks the new record (PERM-008), update the stored
// record and the result (PERM-009), delete the stored record (PERM-017); system fields
// belong to the server (PERM-016).
import { beforeAll, describe, expect, it } from 'vitest'
import { api, crediting, expectProblem, given, type Client } from '../harness/index.ts'
import { keySubject, subjectRef, visibleIds, type Subject } from './support.ts'

const recordsPath = '/v1/datasets/{name}/records' as const
const recordPath = '/v1/datasets/{name}/records/{id}' as const

async function storedRecord(dataset: string, id: string) {
  const response = await api.admin.get(recordPath, { params: { name: dataset, id } })
  expect(response.status, `record ${id} as the admin sees it`).toBe(200)
  return response.body
}

describe('PERM-008 create checks the filters on the new record', () => {
  let dataset: string
  let writer: Subject

  beforeAll(async () => {
    dataset = await given.dataset()
    writer = await keySubject()
    await given.policy({ subjects: [subjectRef(writer)], resources: [dataset], actions: ['create'], filters: [{ field: 'total', op: 'lte', value: 100 }] })
  })

  it('PERM-008 a record the create policy admits is stored', async () => {
    const response = await writer.client.post(recordsPath, { total: 100 }, { params: { name: dataset } })
    expect(response.status).toBe(201)
    expect(await storedRecord(dataset, response.body.id)).toMatchObject({ total: 100, owner: writer.caller.id })
  })

  it.each([
    ['a value the filter refuses', { total: 101, marker: 'too-big' }],
    ['a missing filtered field', { marker: 'no-total' }],
    ['a value of another type', { total: '50', marker: 'string-total' }],
  ])('PERM-008 PERM-005 %s is 403 and nothing is stored', async (_, fields) => {
    const before = await visibleIds(api.admin, dataset)
    expectProblem(await writer.client.post(recordsPath, fields, { params: { name: dataset } }), 403, 'forbidden')
    expect(await visibleIds(api.admin, dataset), 'the refused record must not be stored').toEqual(before)
  })

  it('PERM-008 PERM-003 an owner filter on create admits the caller’s new record (owner = the caller)', async () => {
    const ownDataset = await given.dataset()
    await given.policy({ subjects: [subjectRef(writer)], resources: [ownDataset], actions: ['create'], filters: [{ owner: true }] })
    const response = await writer.client.post(recordsPath, { n: 1 }, { params: { name: ownDataset } })
    expect(response.status).toBe(201)
  })

  it('PERM-008 a condition on owner sees the caller as the new record’s owner', async () => {
    const ownerDataset = await given.dataset()
    const other = await keySubject()
    await given.policy({
      subjects: [subjectRef(writer), subjectRef(other)],
      resources: [ownerDataset],
      actions: ['create'],
      filters: [{ field: 'owner', op: 'eq', value: writer.caller.id }],
    })
    expect((await writer.client.post(recordsPath, { n: 1 }, { params: { name: ownerDataset } })).status).toBe(201)
    expectProblem(await other.client.post(recordsPath, { n: 1 }, { params: { name: ownerDataset } }), 403, 'forbidden')
  })
})

describe('PERM-009 update checks the stored record and the result', () => {
  let dataset: string
  let editor: Subject

  beforeAll(async () => {
    dataset = await given.dataset()
    editor = await keySubject()
    const me = subjectRef(editor)
    await given.policy({ subjects: [me], resources: [dataset], actions: ['read'], filters: [] })
    await given.policy({ subjects: [me], resources: [dataset], actions: ['update'], filters: [{ field: 'status', op: 'eq', value: 'draft' }] })
  })

  const patch = (client: Client, id: string, body: Record<string, unknown>) => client.patch(recordPath, body, { params: { name: dataset, id } })

  it('PERM-009 a change that keeps the record admitted is applied', async () => {
    const record = await given.record(dataset, 'admin', { status: 'draft', title: 'a' })
    const response = await patch(editor.client, record.id, { title: 'b' })
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ status: 'draft', title: 'b' })
    expect(await storedRecord(dataset, record.id)).toMatchObject({ status: 'draft', title: 'b' })
  })

  it.each([
    ['the result fails the filter', { status: 'draft', title: 'a' }, { status: 'final' }],
    ['the result loses the filtered field (merge patch null)', { status: 'draft', title: 'a' }, { status: null }],
    ['the stored record fails the filter', { status: 'final', title: 'a' }, { status: 'draft' }],
  ])('PERM-009 PERM-011 refused when %s: 403 (readable) and the record is unchanged', async (_, fields, body) => {
    const record = await given.record(dataset, 'admin', fields)
    const response = await patch(editor.client, record.id, body)
    // Applied: the update rule failed (PERM-009); 404: the readable record was hidden (PERM-011).
    crediting(response.status === 404 ? ['PERM-011'] : ['PERM-009'], () => expectProblem(response, 403, 'forbidden'))
    expect(await storedRecord(dataset, record.id)).toEqual(record)
  })

  it('PERM-009 PERM-001 the stored record and the result may be admitted by different update policies', async () => {
    await given.policy({ subjects: [subjectRef(editor)], resources: [dataset], actions: ['update'], filters: [{ field: 'status', op: 'eq', value: 'final' }] })
    const record = await given.record(dataset, 'admin', { status: 'draft' })
    const response = await patch(editor.client, record.id, { status: 'final' })
    expect(response.status).toBe(200)
    expect(await storedRecord(dataset, record.id)).toMatchObject({ status: 'final' })
  })
})

describe('PERM-017 delete checks the filters on the stored record', () => {
  it('PERM-017 only a delete policy decides: an update policy admitting the record lets no delete through', async () => {
    const dataset = await given.dataset()
    const cleaner = await keySubject()
    const me = subjectRef(cleaner)
    await given.policy({ subjects: [me], resources: [dataset], actions: ['read', 'update'], filters: [] })
    await given.policy({ subjects: [me], resources: [dataset], actions: ['delete'], filters: [{ field: 'status', op: 'eq', value: 'archived' }] })
    const live = await given.record(dataset, 'admin', { status: 'live' })
    expectProblem(await cleaner.client.delete(recordPath, { params: { name: dataset, id: live.id } }), 403, 'forbidden')
    expect(await storedRecord(dataset, live.id)).toEqual(live)
    const archived = await given.record(dataset, 'admin', { status: 'archived' })
    expect((await cleaner.client.delete(recordPath, { params: { name: dataset, id: archived.id } })).status).toBe(204)
  })


  it('PERM-017 own records are deleted; another owner’s record is refused and stays', async () => {
    const dataset = await given.dataset()
    const owner = await keySubject()
    await given.policy({ subjects: [subjectRef(owner)], resources: [dataset], actions: ['create', 'read'], filters: [] })
    await given.policy({ subjects: [subjectRef(owner)], resources: [dataset], actions: ['delete'], filters: [{ owner: true }] })
    const mine = await given.record(dataset, owner.credential, { n: 1 })
    const theirs = await given.record(dataset, 'admin', { n: 2 })
    const refused = await owner.client.delete(recordPath, { params: { name: dataset, id: theirs.id } })
    expectProblem(refused, 403, 'forbidden')
    expect(await storedRecord(dataset, theirs.id)).toEqual(theirs)
    expect((await owner.client.delete(recordPath, { params: { name: dataset, id: mine.id } })).status).toBe(204)
    expectProblem(await api.admin.get(recordPath, { params: { name: dataset, id: mine.id } }), 404, 'not_found')
  })
})

describe('PERM-016 system fields are set by the server', () => {
  let dataset: string
  let writer: Subject

  beforeAll(async () => {
    dataset = await given.dataset()
    writer = await keySubject()
    await given.policy({ subjects: [subjectRef(writer)], resources: [dataset], actions: ['create', 'read', 'update'], filters: [] })
  })

  it('PERM-016 a new record gets id, owner, created_at and updated_at from the server', async () => {
    const record = await given.record(dataset, writer.credential, { title: 'x' })
    expect(record).toMatchObject({ id: expect.stringMatching(/^rec_[A-Za-z0-9]{16,}$/), owner: writer.caller.id, title: 'x' })
    expect(Date.parse(record.created_at)).not.toBeNaN()
    expect(Date.parse(record.updated_at)).toBeGreaterThanOrEqual(Date.parse(record.created_at))
    const again = await given.record(dataset, writer.credential, { title: 'x' })
    expect(again.id, 'each record gets its own id').not.toBe(record.id)
  })

  it('PERM-016 an update keeps id, owner and created_at and moves updated_at forward', async () => {
    const record = await given.record(dataset, writer.credential, { title: 'x' })
    const response = await writer.client.patch(recordPath, { title: 'y' }, { params: { name: dataset, id: record.id } })
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ id: record.id, owner: record.owner, created_at: record.created_at, title: 'y' })
    expect(Date.parse(response.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(record.updated_at))
  })

  const SYSTEM_FIELDS: [string, unknown][] = [
    ['id', 'rec_ChosenByTheClient0001'],
    ['owner', 'key_SomebodyElse00000001'],
    ['created_at', '2020-01-01T00:00:00Z'],
    ['updated_at', '2020-01-01T00:00:00Z'],
  ]

  it.each(SYSTEM_FIELDS)('PERM-016 ERR-004 a create body setting %s is 400 and nothing is stored', async (field, value) => {
    const before = await visibleIds(api.admin, dataset)
    expectProblem(await writer.client.send({ method: 'post', path: recordsPath, params: { name: dataset }, body: { title: 'x', [field]: value } }), 400, 'invalid_request')
    expect(await visibleIds(api.admin, dataset)).toEqual(before)
  })

  it.each(SYSTEM_FIELDS)('PERM-016 ERR-004 a patch body setting %s is 400 and the record is unchanged', async (field, value) => {
    const record = await given.record(dataset, writer.credential, { title: 'x' })
    const response = await writer.client.send({ method: 'patch', path: recordPath, params: { name: dataset, id: record.id }, body: { [field]: value } })
    expectProblem(response, 400, 'invalid_request')
    expect(await storedRecord(dataset, record.id)).toEqual(record)
  })

  it('PERM-016 the admin cannot set system fields either', async () => {
    const response = await api.admin.send({ method: 'post', path: recordsPath, params: { name: dataset }, body: { owner: writer.caller.id } })
    expectProblem(response, 400, 'invalid_request')
  })

  it.each(['1st', 'with-dash', 'with space', 'a'.repeat(65)])('ERR-004 a field named %j is 400', async (name) => {
    const response = await writer.client.send({ method: 'post', path: recordsPath, params: { name: dataset }, body: { [name]: 1 } })
    expectProblem(response, 400, 'invalid_request')
  })
})
