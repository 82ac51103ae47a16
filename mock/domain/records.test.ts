import { describe, expect, it } from 'vitest'
import type { Filter, PolicyInput } from './contract.ts'
import { keyPrincipal, policy, testDomain, userPrincipal, ADMIN_ID } from './testing.ts'
import type { Domain, Principal } from './types.ts'

const ALICE = 'usr_AliceAliceAlice0001'
const BOB = 'usr_BobBobBobBobBob00001'
const alice = userPrincipal(ALICE, ['registered'])
const bob = userPrincipal(BOB)
const admin = keyPrincipal(ADMIN_ID, 'admin')
const forAlice = (input: Partial<PolicyInput>) => policy({ subjects: [{ type: 'user', id: ALICE }], ...input })

function setUp(policies: PolicyInput[] = []) {
  const t = testDomain()
  t.domain.createDataset({ name: 'orders' })
  for (const input of policies) t.domain.createPolicy(input)
  const seed = (owner: string, fields: Record<string, unknown>) => t.domain.seedRecord({ dataset: 'orders', owner, fields })
  return { ...t, seed }
}

const code = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    return (error as { code?: string }).code
  }
  return 'ok'
}

describe('system fields', () => {
  it('are set by the server: id, owner = the creator, timestamps', () => {
    const { domain, clock } = setUp([forAlice({ actions: ['create', 'update'] })])
    const record = domain.createRecord({ principal: alice, dataset: 'orders', fields: { total: 5 } })
    expect(record).toEqual({ id: expect.stringMatching(/^rec_/), owner: ALICE, created_at: '2030-01-01T00:00:00.000Z', updated_at: '2030-01-01T00:00:00.000Z', total: 5 })
    clock.advance(2)
    const patched = domain.patchRecord({ principal: alice, dataset: 'orders', id: record.id, patch: { total: 6 } })
    expect(patched).toMatchObject({ id: record.id, owner: ALICE, created_at: record.created_at, updated_at: '2030-01-01T00:00:02.000Z', total: 6 })
  })

  it.each(['id', 'owner', 'created_at', 'updated_at'])('may not be set by a body (%s)', (field) => {
    const { domain, seed } = setUp([forAlice({ actions: ['create', 'update'] })])
    expect(code(() => domain.createRecord({ principal: alice, dataset: 'orders', fields: { [field]: 'x' } }))).toBe('invalid_request')
    const stored = seed(ALICE, { total: 1 })
    expect(code(() => domain.patchRecord({ principal: alice, dataset: 'orders', id: stored.id, patch: { [field]: 'x' } }))).toBe('invalid_request')
  })

  it.each(['1abc', 'with-dash', 'x'.repeat(65), '', 'a b'])('rejects the field name %j', (field) => {
    const { domain } = setUp([forAlice({ actions: ['create'] })])
    expect(code(() => domain.createRecord({ principal: alice, dataset: 'orders', fields: { [field]: 1 } }))).toBe('invalid_request')
  })

  it('keeps a `__proto__` field as data, not as a prototype', () => {
    const { domain } = setUp([forAlice({ actions: ['create', 'read'] })])
    const fields = JSON.parse('{"__proto__": {"polluted": true}, "n": 1}') as Record<string, unknown>
    const record = domain.createRecord({ principal: alice, dataset: 'orders', fields })
    expect(Object.hasOwn(record, '__proto__')).toBe(true)
    expect((record as { polluted?: unknown }).polluted).toBeUndefined()
    expect(JSON.parse(JSON.stringify(record))).toMatchObject({ n: 1 })
  })
})

describe('JSON merge patch', () => {
  it('replaces, removes with null, merges nested objects, keeps the rest', () => {
    const { domain, seed } = setUp([forAlice({ actions: ['update'] })])
    const stored = seed(ALICE, { a: 1, b: 2, nested: { x: 1, y: 2 }, list: [1, 2] })
    const patched = domain.patchRecord({ principal: alice, dataset: 'orders', id: stored.id, patch: { a: 10, b: null, nested: { y: null, z: 3 }, list: [3], c: 'new' } })
    expect(patched).toEqual({ ...stored, updated_at: patched.updated_at, a: 10, nested: { x: 1, z: 3 }, list: [3], c: 'new', b: undefined })
    expect(Object.hasOwn(patched, 'b')).toBe(false)
  })
})

describe('the 403 / 404 rule', () => {
  it('no policy grants the action → forbidden, for every operation', () => {
    const { domain, seed } = setUp([forAlice({ actions: ['read'] })])
    const record = seed(ALICE, { total: 1 })
    expect(code(() => domain.listRecords({ principal: bob, dataset: 'orders' }))).toBe('forbidden')
    expect(code(() => domain.getRecord({ principal: bob, dataset: 'orders', id: record.id }))).toBe('forbidden')
    expect(code(() => domain.createRecord({ principal: alice, dataset: 'orders', fields: {} }))).toBe('forbidden')
    expect(code(() => domain.patchRecord({ principal: alice, dataset: 'orders', id: record.id, patch: { total: 2 } }))).toBe('forbidden')
    expect(code(() => domain.deleteRecord({ principal: alice, dataset: 'orders', id: record.id }))).toBe('forbidden')
  })

  it('no policy at all wins over an unknown record id (403 before 404)', () => {
    const { domain } = setUp()
    expect(code(() => domain.getRecord({ principal: bob, dataset: 'orders', id: 'rec_NoSuchRecordNoSuch00' }))).toBe('forbidden')
  })

  it('unknown dataset → not_found, even for admins', () => {
    const { domain } = setUp()
    expect(code(() => domain.listRecords({ principal: admin, dataset: 'nope' }))).toBe('not_found')
    expect(code(() => domain.getRecord({ principal: alice, dataset: 'nope', id: 'rec_x' }))).toBe('not_found')
  })

  it('granted but nonexistent record → not_found', () => {
    const { domain } = setUp([forAlice({ actions: ['read', 'update', 'delete'] })])
    for (const run of [
      () => domain.getRecord({ principal: alice, dataset: 'orders', id: 'rec_NoSuchRecordNoSuch00' }),
      () => domain.patchRecord({ principal: alice, dataset: 'orders', id: 'rec_NoSuchRecordNoSuch00', patch: { a: 1 } }),
      () => domain.deleteRecord({ principal: alice, dataset: 'orders', id: 'rec_NoSuchRecordNoSuch00' }),
    ]) expect(code(run)).toBe('not_found')
  })

  const small: Filter = { field: 'total', op: 'lt', value: 100 }
  describe.each<[string, PolicyInput[], string, string]>([
    ['read filtered out', [forAlice({ actions: ['read'], filters: [small] })], 'read', 'not_found'],
    ['update filtered out, record readable', [forAlice({ actions: ['update'], filters: [small] }), forAlice({ actions: ['read'] })], 'update', 'forbidden'],
    ['update filtered out, record unreadable', [forAlice({ actions: ['update'], filters: [small] }), forAlice({ actions: ['read'], filters: [small] })], 'update', 'not_found'],
    ['delete filtered out, record readable', [forAlice({ actions: ['delete'], filters: [small] }), forAlice({ actions: ['read'] })], 'delete', 'forbidden'],
    ['delete filtered out, no read policy', [forAlice({ actions: ['delete'], filters: [small] })], 'delete', 'not_found'],
  ])('%s', (_name, policies, action, expected) => {
    it(`answers ${expected} and changes nothing`, () => {
      const { domain, seed, store } = setUp(policies)
      const record = seed(BOB, { total: 500 })
      const target = { principal: alice, dataset: 'orders', id: record.id }
      const run = action === 'read' ? () => domain.getRecord(target)
        : action === 'update' ? () => domain.patchRecord({ ...target, patch: { total: 1 } })
        : () => domain.deleteRecord(target)
      expect(code(run)).toBe(expected)
      expect(store.records.get('orders', record.id)?.record).toEqual(record)
    })
  })
})

describe('create checks the new record (PERM-008)', () => {
  it('allows a record the filters admit, with owner = the caller', () => {
    const { domain } = setUp([forAlice({ actions: ['create'], filters: [{ owner: true }, { field: 'total', op: 'lte', value: 1000 }] })])
    expect(domain.createRecord({ principal: alice, dataset: 'orders', fields: { total: 1000 } }).owner).toBe(ALICE)
  })

  it('refuses a record the filters do not admit with forbidden, storing nothing', () => {
    const { domain, store } = setUp([forAlice({ actions: ['create'], filters: [{ field: 'total', op: 'lte', value: 1000 }] })])
    expect(code(() => domain.createRecord({ principal: alice, dataset: 'orders', fields: { total: 1001 } }))).toBe('forbidden')
    expect(code(() => domain.createRecord({ principal: alice, dataset: 'orders', fields: {} }))).toBe('forbidden')
    expect(store.records.size).toBe(0)
  })
})

describe('update checks the stored record and the result (PERM-009)', () => {
  const open: Filter = { field: 'status', op: 'eq', value: 'open' }
  it('allows an update whose stored record and result are both admitted', () => {
    const { domain, seed } = setUp([forAlice({ actions: ['update'], filters: [open] })])
    const record = seed(ALICE, { status: 'open', total: 1 })
    expect(domain.patchRecord({ principal: alice, dataset: 'orders', id: record.id, patch: { total: 2 } }).total).toBe(2)
  })

  it.each([
    ['readable', [forAlice({ actions: ['update'], filters: [open] }), forAlice({ actions: ['read'] })], 'forbidden'],
    ['unreadable', [forAlice({ actions: ['update'], filters: [open] })], 'not_found'],
  ])('refuses a result the policies do not admit (stored record %s) and keeps the record', (_name, policies, expected) => {
    const { domain, seed, store } = setUp(policies as PolicyInput[])
    const record = seed(ALICE, { status: 'open' })
    expect(code(() => domain.patchRecord({ principal: alice, dataset: 'orders', id: record.id, patch: { status: 'closed' } }))).toBe(expected)
    expect(store.records.get('orders', record.id)?.record).toEqual(record)
  })

  it('accepts stored and result admitted by different update policies', () => {
    const { domain, seed } = setUp([
      forAlice({ actions: ['update'], filters: [open] }),
      forAlice({ actions: ['update'], filters: [{ field: 'status', op: 'eq', value: 'closed' }] }),
    ])
    const record = seed(ALICE, { status: 'open' })
    expect(domain.patchRecord({ principal: alice, dataset: 'orders', id: record.id, patch: { status: 'closed' } }).status).toBe('closed')
  })
})

describe('delete checks the stored record (PERM-017)', () => {
  it('deletes an admitted record; it is not_found afterwards', () => {
    const { domain, seed } = setUp([forAlice({ actions: ['delete', 'read'], filters: [{ owner: true }] })])
    const mine = seed(ALICE, {})
    domain.deleteRecord({ principal: alice, dataset: 'orders', id: mine.id })
    expect(code(() => domain.getRecord({ principal: alice, dataset: 'orders', id: mine.id }))).toBe('not_found')
  })
})

describe('listing (PERM-007)', () => {
  function listAll(domain: Domain, principal: Principal, limit: number) {
    const ids: string[] = []
    let cursor: string | null = null
    for (let pages = 0; pages < 100; pages++) {
      const page = domain.listRecords({ principal, dataset: 'orders', limit, cursor })
      ids.push(...page.items.map((record) => record.id))
      expect(page.items.length).toBeLessThanOrEqual(limit)
      if (page.next_cursor === null) return ids
      cursor = page.next_cursor
    }
    throw new Error('no end')
  }

  it('returns exactly the union of records some read policy admits, in creation order, across pages', () => {
    const { domain, seed } = setUp([
      forAlice({ filters: [{ owner: true }] }),
      forAlice({ filters: [{ field: 'total', op: 'gt', value: 100 }] }),
    ])
    const records = [
      seed(ALICE, { total: 1 }), seed(BOB, { total: 500 }), seed(BOB, { total: 50 }), seed(ALICE, { total: 900 }),
      seed(BOB, { total: 101 }), seed(BOB, {}), seed(ALICE, {}),
    ]
    const expected = records.filter((r) => r.owner === ALICE || (typeof r.total === 'number' && r.total > 100)).map((r) => r.id)
    for (const limit of [1, 2, 3, 100]) expect(listAll(domain, alice, limit)).toEqual(expected)
    expect(listAll(domain, admin, 2)).toEqual(records.map((r) => r.id))
  })

  it('answers next_cursor null on the last page, also when the page is exactly full', () => {
    const { domain, seed } = setUp([forAlice({})])
    seed(ALICE, {})
    seed(ALICE, {})
    expect(domain.listRecords({ principal: alice, dataset: 'orders', limit: 2 }).next_cursor).toBeNull()
    expect(domain.listRecords({ principal: alice, dataset: 'orders', limit: 1 }).next_cursor).not.toBeNull()
  })

  it('survives deletions between pages', () => {
    const { domain, seed } = setUp([forAlice({})])
    const [a, b, c] = [seed(ALICE, {}), seed(ALICE, {}), seed(ALICE, {})]
    const first = domain.listRecords({ principal: alice, dataset: 'orders', limit: 1 })
    domain.deleteRecord({ principal: admin, dataset: 'orders', id: a!.id })
    domain.deleteRecord({ principal: admin, dataset: 'orders', id: b!.id })
    const rest = domain.listRecords({ principal: alice, dataset: 'orders', limit: 1, cursor: first.next_cursor })
    expect(rest.items.map((r) => r.id)).toEqual([c!.id])
  })

  it.each([
    ['limit 0', { limit: 0 }],
    ['limit 1001', { limit: 1001 }],
    ['limit 1.5', { limit: 1.5 }],
    ['garbage cursor', { cursor: '!!!' }],
    ['cursor of another dataset', { cursor: Buffer.from('users\u00001').toString('base64url') }],
  ])('refuses %s', (_name, options) => {
    const { domain } = setUp([forAlice({})])
    expect(code(() => domain.listRecords({ principal: alice, dataset: 'orders', ...options }))).toBe('invalid_request')
  })
})

describe('admins bypass policies (PERM-013)', () => {
  it('creates, reads, updates and deletes any record without a policy', () => {
    const { domain, seed } = setUp()
    const record = seed(BOB, { total: 1 })
    expect(domain.getRecord({ principal: admin, dataset: 'orders', id: record.id })).toEqual(record)
    expect(domain.patchRecord({ principal: admin, dataset: 'orders', id: record.id, patch: { total: 2 } }).total).toBe(2)
    expect(domain.createRecord({ principal: admin, dataset: 'orders', fields: {} }).owner).toBe(ADMIN_ID)
    domain.deleteRecord({ principal: admin, dataset: 'orders', id: record.id })
  })
})

describe('seeding', () => {
  it('takes an explicit owner and id; refuses a duplicate id', () => {
    const { domain } = setUp()
    const record = domain.seedRecord({ dataset: 'orders', owner: BOB, fields: { a: 1 }, id: 'rec_F1xtureF1xtureF1xt' })
    expect(record).toMatchObject({ id: 'rec_F1xtureF1xtureF1xt', owner: BOB, a: 1 })
    expect(code(() => domain.seedRecord({ dataset: 'orders', owner: BOB, fields: {}, id: record.id }))).toBe('conflict')
  })
})
