// Refusals: no granting policy is 403 (PERM-010); a granting policy whose filters refuse
// the record is 403 when the caller can read it and 404 when it cannot, and a record
// that does not exist is 404 (PERM-011) — so existence never leaks.
import { beforeAll, describe, expect, it } from 'vitest'
import { api, expectProblem, given, type Client } from '../harness/index.ts'
import { absentRecordId, keySubject, subjectRef, type Subject } from './support.ts'

type Attempt = (client: Client, dataset: string, id: string) => ReturnType<Client['send']>

const ATTEMPTS: [string, Attempt][] = [
  ['GET', (client, name, id) => client.get('/v1/datasets/{name}/records/{id}', { params: { name, id } })],
  ['PATCH', (client, name, id) => client.patch('/v1/datasets/{name}/records/{id}', { touched: true }, { params: { name, id } })],
  ['DELETE', (client, name, id) => client.delete('/v1/datasets/{name}/records/{id}', { params: { name, id } })],
]
const WRITES = ATTEMPTS.filter(([method]) => method !== 'GET')

let dataset: string
let limited: Subject
let stranger: Subject
let readable: string
let hidden: string

beforeAll(async () => {
  dataset = await given.dataset()
  limited = await keySubject()
  stranger = await keySubject()
  const me = subjectRef(limited)
  // Reads red records; may change and delete only records larger than 10 (none are).
  await given.policy({ subjects: [me], resources: [dataset], actions: ['read'], filters: [{ field: 'color', op: 'eq', value: 'red' }] })
  await given.policy({ subjects: [me], resources: [dataset], actions: ['update', 'delete'], filters: [{ field: 'size', op: 'gt', value: 10 }] })
  readable = (await given.record(dataset, 'admin', { color: 'red', size: 1 })).id
  hidden = (await given.record(dataset, 'admin', { color: 'blue', size: 1 })).id
})

async function expectUnchanged(id: string, fields: Record<string, unknown>): Promise<void> {
  const response = await api.admin.get('/v1/datasets/{name}/records/{id}', { params: { name: dataset, id } })
  expect(response.status, `record ${id} must still exist`).toBe(200)
  expect(response.body).toMatchObject(fields)
  expect(response.body).not.toHaveProperty('touched')
}

describe('PERM-010 no policy granting the action is 403 forbidden', () => {
  it.each(ATTEMPTS)('PERM-010 ERR-008 %s of a record without any policy on the dataset is 403', async (_, attempt) => {
    expectProblem(await attempt(stranger.client, dataset, readable), 403, 'forbidden')
    await expectUnchanged(readable, { color: 'red' })
  })

  it('PERM-010 listing without any read policy is 403', async () => {
    const response = await stranger.client.get('/v1/datasets/{name}/records', { params: { name: dataset } })
    expectProblem(response, 403, 'forbidden')
  })

  it('PERM-010 creating without any create policy is 403', async () => {
    const response = await limited.client.post('/v1/datasets/{name}/records', { color: 'red' }, { params: { name: dataset } })
    expectProblem(response, 403, 'forbidden')
  })

  it('PERM-010 a caller granted create, read and update but not delete is 403 on delete, and the record stays', async () => {
    const editor = await keySubject()
    await given.policy({ subjects: [subjectRef(editor)], resources: [dataset], actions: ['create', 'read', 'update'], filters: [] })
    expectProblem(await editor.client.delete('/v1/datasets/{name}/records/{id}', { params: { name: dataset, id: readable } }), 403, 'forbidden')
    await expectUnchanged(readable, { color: 'red', size: 1 })
  })

  it('PERM-010 a record that does not exist is 403 too when no policy grants the action at all', async () => {
    expectProblem(await ATTEMPTS[0]![1](stranger.client, dataset, absentRecordId()), 403, 'forbidden')
  })
})

describe('PERM-011 existence of unreadable records is not leaked', () => {
  it('PERM-011 reading a record no read policy admits is 404, like a record that does not exist', async () => {
    expectProblem(await ATTEMPTS[0]![1](limited.client, dataset, hidden), 404, 'not_found')
    expectProblem(await ATTEMPTS[0]![1](limited.client, dataset, absentRecordId()), 404, 'not_found')
    const ok = await ATTEMPTS[0]![1](limited.client, dataset, readable)
    expect(ok.status).toBe(200)
  })

  it.each(WRITES)('PERM-011 %s refused on a record the caller can read is 403', async (_, attempt) => {
    expectProblem(await attempt(limited.client, dataset, readable), 403, 'forbidden')
    await expectUnchanged(readable, { color: 'red', size: 1 })
  })

  it.each(WRITES)('PERM-011 %s refused on a record the caller cannot read is 404', async (_, attempt) => {
    expectProblem(await attempt(limited.client, dataset, hidden), 404, 'not_found')
    await expectUnchanged(hidden, { color: 'blue', size: 1 })
  })

  it('PERM-011 a PATCH refused for its result, by a caller who cannot read the record, is 404', async () => {
    // The stored record is one the caller may update (draft) but not read (blue); the result leaves the update filter.
    const drafter = await keySubject()
    await given.policy({ subjects: [subjectRef(drafter)], resources: [dataset], actions: ['read'], filters: [{ field: 'color', op: 'eq', value: 'red' }] })
    await given.policy({ subjects: [subjectRef(drafter)], resources: [dataset], actions: ['update'], filters: [{ field: 'state', op: 'eq', value: 'draft' }] })
    const draft = await given.record(dataset, 'admin', { color: 'blue', state: 'draft' })
    const patch = (state: string) => drafter.client.patch('/v1/datasets/{name}/records/{id}', { state }, { params: { name: dataset, id: draft.id } })
    expectProblem(await patch('final'), 404, 'not_found')
    await expectUnchanged(draft.id, { color: 'blue', state: 'draft' })
    expect((await patch('draft')).status, 'a result the update filter admits is applied').toBe(200)
  })

  it.each(WRITES)('PERM-011 %s of a record that does not exist is 404', async (_, attempt) => {
    expectProblem(await attempt(limited.client, dataset, absentRecordId()), 404, 'not_found')
  })

  it('PERM-011 the 404 for a hidden record is indistinguishable from the 404 for a missing one', async () => {
    const hiddenAnswer = await ATTEMPTS[0]![1](limited.client, dataset, hidden)
    const missingAnswer = await ATTEMPTS[0]![1](limited.client, dataset, absentRecordId())
    const strip = (problem: Record<string, unknown>) => ({ ...problem, detail: String(problem.detail).replaceAll(hidden, '<id>').replaceAll(absentRecordId(), '<id>') })
    expect(strip(hiddenAnswer.body)).toEqual(strip(missingAnswer.body))
  })
})
