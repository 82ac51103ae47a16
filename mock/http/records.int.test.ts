// Protected data over real sockets, against the default fixtures: the Jexia OR pair,
// owner-only posts, staff read-all, paging, the 403/404 rule, and kept list answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectProblem, FIXTURE_CLIENT_KEY, FIXTURE_USERS, startTestMock, type TestMock } from './test-support.ts'

type Row = { id: string; owner: string; total?: number; published?: boolean }

let mock: TestMock
let admin: string
let alice: string
let bob: string
let carol: string

async function listAll(token: string, dataset: string): Promise<Row[]> {
  const rows: Row[] = []
  let cursor: string | null = null
  do {
    const query: string = cursor ? `?limit=7&cursor=${encodeURIComponent(cursor)}` : '?limit=7'
    const page = await mock.call('GET', `/v1/datasets/${dataset}/records${query}`, { token })
    expect(page.status).toBe(200)
    rows.push(...page.body.items)
    cursor = page.body.next_cursor
  } while (cursor)
  return rows
}

beforeAll(async () => {
  mock = await startTestMock()
  admin = await mock.adminToken()
  alice = await mock.signIn(FIXTURE_USERS.alice.email, FIXTURE_USERS.alice.password)
  bob = await mock.signIn(FIXTURE_USERS.bob.email, FIXTURE_USERS.bob.password)
  carol = await mock.signIn(FIXTURE_USERS.carol.email, FIXTURE_USERS.carol.password)
})
afterAll(() => mock?.close())

describe('listRecords', () => {
  it('the Jexia pair: a registered user reads her own orders plus every order over 100', async () => {
    const all = await listAll(admin, 'orders')
    expect(all.length).toBe(44)
    const expected = all.filter((row) => row.owner === FIXTURE_USERS.alice.id || (row.total ?? 0) > 100)
    expect(expected.length).toBeLessThan(all.length)
    expect((await listAll(alice, 'orders')).map((row) => row.id)).toEqual(expected.map((row) => row.id))
  })

  it('staff read everything; an API key subject reads published posts only', async () => {
    expect(await listAll(carol, 'posts')).toEqual(await listAll(admin, 'posts'))
    const client = (await mock.call('POST', '/v1/auth/token', { body: { api_key: FIXTURE_CLIENT_KEY.id, api_secret: FIXTURE_CLIENT_KEY.secret } })).body
    const seen = await listAll(client.access_token, 'posts')
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.every((row) => row.published === true)).toBe(true)
  })

  it('an unknown dataset is 404; no read policy is 403', async () => {
    expectProblem(await mock.call('GET', '/v1/datasets/nope/records', { token: alice }), 404, 'not_found')
    const client = (await mock.call('POST', '/v1/auth/token', { body: { api_key: FIXTURE_CLIENT_KEY.id, api_secret: FIXTURE_CLIENT_KEY.secret } })).body
    expectProblem(await mock.call('GET', '/v1/datasets/orders/records', { token: client.access_token }), 403, 'forbidden')
  })
})

describe('one record', () => {
  it('create, get, patch (merge patch) and delete an own record', async () => {
    const created = await mock.call('POST', '/v1/datasets/posts/records', { token: alice, body: { title: 'Mine', draft: true } })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ owner: FIXTURE_USERS.alice.id, title: 'Mine', draft: true })
    const id = created.body.id
    expect((await mock.call('GET', `/v1/datasets/posts/records/${id}`, { token: bob })).body.title).toBe('Mine')
    const patched = await mock.call('PATCH', `/v1/datasets/posts/records/${id}`, { token: alice, body: { title: 'Edited', draft: null } })
    expect(patched.status).toBe(200)
    expect(patched.body.title).toBe('Edited')
    expect(patched.body).not.toHaveProperty('draft')
    expect((await mock.call('DELETE', `/v1/datasets/posts/records/${id}`, { token: alice })).status).toBe(204)
    expectProblem(await mock.call('GET', `/v1/datasets/posts/records/${id}`, { token: alice }), 404, 'not_found')
  })

  it('someone else\'s post is 403 to change (readable), someone else\'s small order 404 (unreadable)', async () => {
    const post = 'rec_alicePost10000000000'
    expectProblem(await mock.call('PATCH', `/v1/datasets/posts/records/${post}`, { token: bob, body: { title: 'x' } }), 403, 'forbidden')
    expectProblem(await mock.call('DELETE', `/v1/datasets/posts/records/${post}`, { token: bob }), 403, 'forbidden')
    expectProblem(await mock.call('GET', '/v1/datasets/orders/records/rec_bobOrder200000000000', { token: alice }), 404, 'not_found')
    const big = await mock.call('GET', '/v1/datasets/orders/records/rec_bobOrder100000000000', { token: alice })
    expect(big.body).toMatchObject({ owner: FIXTURE_USERS.bob.id, total: 250 })
  })

  it('staff cannot create (no create policy): 403', async () => {
    expectProblem(await mock.call('POST', '/v1/datasets/orders/records', { token: carol, body: { total: 1 } }), 403, 'forbidden')
  })
})

const LIST = '/v1/datasets/kept/records?limit=5'

describe('kept list answers', () => {
  it('are the same bytes while nothing changes, and follow records and policies written through the API at once', async () => {
    expect((await mock.call('POST', '/v1/datasets', { token: admin, body: { name: 'kept' } })).status).toBe(201)
    const client = (await mock.call('POST', '/v1/auth/token', { body: { api_key: FIXTURE_CLIENT_KEY.id, api_secret: FIXTURE_CLIENT_KEY.secret } })).body.access_token
    const statuses = async (): Promise<string[]> => {
      const reply = await mock.call('GET', LIST, { token: client })
      expect(reply.status).toBe(200)
      expect(Number(reply.headers['content-length'])).toBe(Buffer.byteLength(reply.text))
      return reply.body.items.map((record: { status: string }) => record.status)
    }
    const input = { description: 'client reads paid', subjects: [{ type: 'api_key', id: FIXTURE_CLIENT_KEY.id }], resources: ['kept'], actions: ['read'] }
    const created = await mock.call('POST', '/v1/policies', { token: admin, body: { ...input, filters: [{ field: 'status', op: 'eq', value: 'paid' }] } })
    expect(await statuses()).toEqual([])
    const record = (await mock.call('POST', '/v1/datasets/kept/records', { token: admin, body: { status: 'paid' } })).body
    const first = await mock.call('GET', LIST, { token: client })
    expect((await mock.call('GET', LIST, { token: client })).text).toBe(first.text)
    expect(first.body.items.map((each: { id: string }) => each.id)).toEqual([record.id])
    await mock.call('PATCH', `/v1/datasets/kept/records/${record.id}`, { token: admin, body: { status: 'pending' } })
    expect(await statuses()).toEqual([])
    await mock.call('PUT', `/v1/policies/${created.body.id}`, { token: admin, body: { ...input, filters: [{ field: 'status', op: 'ne', value: 'paid' }] } })
    expect(await statuses()).toEqual(['pending'])
    await mock.call('DELETE', `/v1/policies/${created.body.id}`, { token: admin })
    expectProblem(await mock.call('GET', LIST, { token: client }), 403, 'forbidden')
  })
})
