// The reference evaluator must itself be right before it judges a target: each rule of
// the catalogue, one table row per case.
import { describe, expect, it } from 'vitest'
import { check, conditionHolds, mergePatch, readableRecords, recordDecision, updateDecision, type Caller, type Condition, type Policy } from './reference-evaluator.ts'

const alice: Caller = { type: 'user', id: 'usr_alice', namespaces: ['registered'] }
const key: Caller = { type: 'api_key', id: 'key_billing', namespaces: [] }

describe('conditionHolds (PERM-005, PERM-006)', () => {
  it.each<[Condition, Record<string, unknown>, boolean]>([
    [{ field: 'v', op: 'eq', value: 10 }, { v: 10 }, true],
    [{ field: 'v', op: 'eq', value: 10 }, { v: '10' }, false],
    [{ field: 'v', op: 'eq', value: null }, { v: null }, true],
    [{ field: 'v', op: 'eq', value: null }, {}, false],
    [{ field: 'v', op: 'ne', value: 10 }, { v: 5 }, true],
    [{ field: 'v', op: 'ne', value: 10 }, { v: 10 }, false],
    [{ field: 'v', op: 'ne', value: 10 }, { v: '5' }, false],
    [{ field: 'v', op: 'ne', value: 10 }, {}, false],
    [{ field: 'v', op: 'ne', value: 10 }, { v: [5] }, false],
    [{ field: 'v', op: 'ne', value: null }, { v: 1 }, false],
    [{ field: 'v', op: 'gt', value: 5 }, { v: 5.5 }, true],
    [{ field: 'v', op: 'gt', value: 5 }, { v: 5 }, false],
    [{ field: 'v', op: 'gte', value: 5 }, { v: 5 }, true],
    [{ field: 'v', op: 'lt', value: 5 }, { v: -1 }, true],
    [{ field: 'v', op: 'lte', value: 5 }, { v: 6 }, false],
    [{ field: 'v', op: 'gt', value: '10' }, { v: '9' }, true],
    [{ field: 'v', op: 'lt', value: 'b' }, { v: 'B' }, true],
    [{ field: 'v', op: 'gt', value: '9' }, { v: 10 }, false],
    [{ field: 'v', op: 'gt', value: false }, { v: true }, false],
    [{ field: 'v', op: 'lte', value: null }, { v: null }, false],
    [{ field: 'v', op: 'in', value: [1, 'a', null] }, { v: 'a' }, true],
    [{ field: 'v', op: 'in', value: [1, 'a', null] }, { v: null }, true],
    [{ field: 'v', op: 'in', value: [1, 'a'] }, { v: '1' }, false],
    [{ field: 'v', op: 'in', value: [] }, { v: 1 }, false],
    [{ field: 'v', op: 'in', value: [1] }, {}, false],
  ])('%j on %j is %s', (condition, record, expected) => {
    expect(conditionHolds(condition, record)).toBe(expected)
  })

  it('compares strings by code point, not by UTF-16 unit', () => {
    // U+1F600 (surrogate pair D83D…) is above U+FF5E by code point, below it by UTF-16 unit.
    expect(conditionHolds({ field: 'v', op: 'gt', value: '\uFF5E' }, { v: '😀' })).toBe(true)
  })
})

const ownCrud: Policy = {
  id: 'pol_own',
  subjects: [{ type: 'namespace', id: 'registered' }],
  resources: ['orders'],
  actions: ['create', 'read', 'update', 'delete'],
  filters: [{ owner: true }],
}
const bigOrders: Policy = {
  id: 'pol_big',
  subjects: [{ type: 'namespace', id: 'registered' }],
  resources: ['orders'],
  actions: ['read'],
  filters: [{ field: 'total', op: 'gt', value: 100 }],
}

describe('check and listing (PERM-001..004, PERM-007, PERM-015)', () => {
  const records = [
    { id: 'r1', owner: 'usr_alice', total: 50 },
    { id: 'r2', owner: 'usr_bob', total: 150 },
    { id: 'r3', owner: 'usr_bob', total: 20 },
  ]

  it('ORs policies: the member reads own records plus every record over 100 (the Jexia pair)', () => {
    expect(readableRecords([ownCrud, bigOrders], alice, 'orders', records).map((r) => r.id)).toEqual(['r1', 'r2'])
  })

  it('ANDs the filters of one policy', () => {
    const both: Policy = { ...bigOrders, id: 'pol_both', filters: [{ owner: true }, { field: 'total', op: 'gt', value: 100 }] }
    expect(readableRecords([both], alice, 'orders', [...records, { id: 'r4', owner: 'usr_alice', total: 101 }]).map((r) => r.id)).toEqual(['r4'])
  })

  it('applies namespace policies to members only, never to keys', () => {
    expect(check([bigOrders], { ...alice, namespaces: [] }, 'orders', 'read').allowed).toBe(false)
    expect(check([bigOrders], { ...key, id: 'registered' }, 'orders', 'read').allowed).toBe(false)
    expect(check([bigOrders], { type: 'namespace', id: 'registered', namespaces: [] }, 'orders', 'read').allowed).toBe(true)
  })

  it('lists matched policies: all granting ones without a record, the admitting ones with it', () => {
    expect(check([ownCrud, bigOrders], alice, 'orders', 'read').matched_policies).toEqual(['pol_own', 'pol_big'])
    expect(check([ownCrud, bigOrders], alice, 'orders', 'read', records[1]).matched_policies).toEqual(['pol_big'])
    expect(check([ownCrud, bigOrders], alice, 'orders', 'update', records[1])).toEqual({ allowed: false, matched_policies: [] })
    expect(check([ownCrud, bigOrders], alice, 'invoices', 'read')).toEqual({ allowed: false, matched_policies: [] })
  })
})

describe('recordDecision (PERM-010, PERM-011)', () => {
  const policies = [ownCrud, bigOrders]
  it.each([
    ['update', { owner: 'usr_alice', total: 1 }, 'allowed'],
    ['update', { owner: 'usr_bob', total: 150 }, 403],
    ['update', { owner: 'usr_bob', total: 1 }, 404],
    ['read', { owner: 'usr_bob', total: 1 }, 404],
  ] as const)('%s on %j is %s', (action, record, expected) => {
    expect(recordDecision(policies, alice, 'orders', action, record)).toBe(expected)
  })

  it('is 403 when no policy grants the action at all', () => {
    expect(recordDecision(policies, key, 'orders', 'read', { owner: 'key_billing' })).toBe(403)
  })
})

describe('updateDecision and mergePatch (PERM-009)', () => {
  const draftsOnly: Policy = { id: 'pol_draft', subjects: [{ type: 'api_key', id: 'key_billing' }], resources: ['orders'], actions: ['read', 'update'], filters: [{ field: 'status', op: 'eq', value: 'draft' }] }
  const finals: Policy = { ...draftsOnly, id: 'pol_final', actions: ['update'], filters: [{ field: 'status', op: 'eq', value: 'final' }] }

  it.each([
    [[draftsOnly], { status: 'draft' }, { status: 'draft', n: 1 }, 'allowed'],
    [[draftsOnly], { status: 'draft' }, { status: 'final' }, 403],
    [[draftsOnly, finals], { status: 'draft' }, { status: 'final' }, 'allowed'],
    [[draftsOnly, finals], { status: 'final' }, { status: 'draft' }, 'allowed'],
    [[finals], { status: 'draft' }, { status: 'final' }, 404],
    [[draftsOnly], { status: 'other' }, { status: 'draft' }, 404],
  ] as const)('%#: stored %j → %j is %s', (policies, stored, result, expected) => {
    expect(updateDecision(policies as unknown as Policy[], key, 'orders', stored, result)).toBe(expected)
  })

  it('merge patch replaces, adds and removes (null) fields', () => {
    expect(mergePatch({ a: 1, b: 2 }, { a: 3, b: null, c: 4 })).toEqual({ a: 3, c: 4 })
  })
})
