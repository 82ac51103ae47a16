import { describe, expect, it } from 'vitest'
import type { Condition, Filter, Policy } from './contract.ts'
import { admitter, compareCodePoints, conditionHolds, evaluate, grantingPolicies, policyAdmits } from './evaluator.ts'
import { defaultSeams } from './seams.ts'

const record = {
  id: 'rec_AAAAAAAAAAAAAAAAAAAA',
  owner: 'usr_AliceAliceAlice0001',
  created_at: '2030-01-01T00:00:00.000Z',
  total: 250,
  status: 'open',
  paid: false,
  note: null,
  tags: ['a'],
  meta: { x: 1 },
}

const cond = (field: string, op: Condition['op'], value: unknown): Condition => ({ field, op, value }) as Condition

describe('conditionHolds', () => {
  describe.each<[string, Condition, boolean]>([
    // eq / ne
    ['eq number', cond('total', 'eq', 250), true],
    ['eq number, other value', cond('total', 'eq', 251), false],
    ['eq string', cond('status', 'eq', 'open'), true],
    ['eq boolean', cond('paid', 'eq', false), true],
    ['eq null', cond('note', 'eq', null), true],
    ['eq string vs number is a type mismatch', cond('total', 'eq', '250'), false],
    ['eq null vs false is a type mismatch', cond('note', 'eq', false), false],
    ['eq on an array field', cond('tags', 'eq', 'a'), false],
    ['eq on an object field', cond('meta', 'eq', 1), false],
    ['ne number', cond('total', 'ne', 100), true],
    ['ne equal value', cond('total', 'ne', 250), false],
    ['ne type mismatch', cond('total', 'ne', 'x'), false],
    ['ne null vs string', cond('note', 'ne', 'x'), false],
    // ordering
    ['gt number', cond('total', 'gt', 100), true],
    ['gt number, equal', cond('total', 'gt', 250), false],
    ['gte number, equal', cond('total', 'gte', 250), true],
    ['lt number', cond('total', 'lt', 251), true],
    ['lt number, equal', cond('total', 'lt', 250), false],
    ['lte number, equal', cond('total', 'lte', 250), true],
    ['lte number, smaller bound', cond('total', 'lte', 249.5), false],
    ['gt string by code point', cond('status', 'gt', 'open'), false],
    ['gte string', cond('status', 'gte', 'open'), true],
    ['lt string', cond('status', 'lt', 'paid'), true],
    ['gt string, uppercase sorts first', cond('status', 'gt', 'Zebra'), true],
    ['gt on system field created_at', cond('created_at', 'gt', '2029-12-31T00:00:00.000Z'), true],
    ['gt number vs string', cond('total', 'gt', '100'), false],
    ['lt string vs number', cond('status', 'lt', 5), false],
    ['gt boolean', cond('paid', 'gt', false), false],
    ['gte null', cond('note', 'gte', null), false],
    // in
    ['in hit', cond('status', 'in', ['paid', 'open']), true],
    ['in miss', cond('status', 'in', ['paid']), false],
    ['in number hit', cond('total', 'in', [1, 250]), true],
    ['in with string of the number', cond('total', 'in', ['250']), false],
    ['in null', cond('note', 'in', [null]), true],
    ['in empty array', cond('status', 'in', []), false],
    ['in with a scalar value', cond('status', 'in', 'open'), false],
  ])('%s', (_name, condition, expected) => {
    it(`is ${expected}`, () => expect(conditionHolds(condition, record, defaultSeams)).toBe(expected))
  })

  describe.each(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in'] as const)('on a missing field, %s', (op) => {
    it('is false', () => {
      const value = op === 'in' ? ['x', null, 0] : op === 'ne' ? 'x' : 0
      expect(conditionHolds(cond('absent', op, value), record, defaultSeams)).toBe(false)
    })
  })

  it('does not treat inherited properties as fields', () => {
    expect(conditionHolds(cond('constructor', 'ne', 'x'), record, defaultSeams)).toBe(false)
    expect(conditionHolds(cond('toString', 'ne', 'x'), {}, defaultSeams)).toBe(false)
  })
})

describe('compareCodePoints', () => {
  it.each<[string, string, number]>([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['abc', 'abc', 0],
    ['ab', 'abc', -1],
    ['Z', 'a', -1],
    // U+1F600 (surrogate pair) is above U+FF5E by code point; UTF-16 units say otherwise.
    ['\u{1F600}', '\uFF5E', 1],
    ['\uFF5E', '\u{1F600}', -1],
  ])('%j vs %j → %i', (left, right, sign) => {
    expect(Math.sign(compareCodePoints(left, right))).toBe(sign)
  })
})

const caller = 'usr_AliceAliceAlice0001'
const pol = (id: string, filters: Filter[], extra: Partial<Policy> = {}): Policy => ({
  id, description: '', subjects: [{ type: 'user', id: caller }], resources: ['orders'], actions: ['read'], filters, ...extra,
})

describe('policies', () => {
  describe.each<[string, Filter[], boolean]>([
    ['no filters admits everything', [], true],
    ['AND: all hold', [cond('total', 'gt', 100), cond('status', 'eq', 'open')], true],
    ['AND: one fails', [cond('total', 'gt', 100), cond('status', 'eq', 'paid')], false],
    ['owner filter, own record', [{ owner: true }], true],
    ['owner filter with a failing condition', [{ owner: true }, cond('paid', 'eq', true)], false],
  ])('%s', (_name, filters, expected) => {
    it(`admits: ${expected}`, () => expect(policyAdmits(pol('pol_1', filters), record, caller, defaultSeams)).toBe(expected))
  })

  it('owner filter refuses records of someone else', () => {
    expect(policyAdmits(pol('pol_1', [{ owner: true }]), record, 'usr_Someone', defaultSeams)).toBe(false)
  })

  describe.each<[string, Filter[][], boolean, string[]]>([
    ['OR: the second policy admits', [[cond('total', 'lt', 100)], [cond('status', 'eq', 'open')]], true, ['p1']],
    ['OR: none admits', [[cond('total', 'lt', 100)], [cond('status', 'eq', 'paid')]], false, []],
    ['OR: both admit', [[], [cond('status', 'eq', 'open')]], true, ['p0', 'p1']],
    ['Jexia pair: unfiltered CRUD OR filtered read', [[], [cond('total', 'gt', 100)]], true, ['p0', 'p1']],
  ])('%s', (_name, filterSets, allowed, matched) => {
    it('combines with OR and lists every admitting policy', () => {
      const policies = filterSets.map((filters, i) => pol(`p${i}`, filters))
      expect(admitter(policies, caller, defaultSeams)(record)).toBe(allowed)
      expect(evaluate(policies, record, caller, defaultSeams)).toEqual({ allowed, matched })
    })
  })

  it('an admitter decides each record of a sequence as evaluate does, with default and replaced seams', () => {
    const policies = [pol('p0', [{ owner: true }, cond('status', 'eq', 'open')]), pol('p1', [cond('total', 'gt', 300)])]
    const records = [
      record,
      { ...record, owner: 'usr_Someone' },
      { ...record, owner: 'usr_Someone', total: 301 },
      { ...record, status: 'paid' },
      {},
    ]
    const orFilters = { ...defaultSeams, combineFilters: <F>(filters: readonly F[], holds: (f: F) => boolean) => filters.some(holds) }
    for (const seams of [defaultSeams, orFilters]) {
      const admits = admitter(policies, caller, seams)
      expect(records.map((each) => admits(each))).toEqual(records.map((each) => evaluate(policies, each, caller, seams).allowed))
    }
    expect(records.map(admitter(policies, caller, defaultSeams))).toEqual([true, false, true, false, false])
  })

  it('without a record, allowed iff some policy grants', () => {
    expect(evaluate([pol('p0', [cond('x', 'eq', 1)])], undefined, caller, defaultSeams)).toEqual({ allowed: true, matched: ['p0'] })
    expect(evaluate([], undefined, caller, defaultSeams)).toEqual({ allowed: false, matched: [] })
  })

  it('grantingPolicies keeps only policies naming the dataset and action', () => {
    const policies = [
      pol('read-orders', []),
      pol('write-orders', [], { actions: ['create', 'update'] }),
      pol('read-users', [], { resources: ['users'] }),
    ]
    expect(grantingPolicies(policies, 'orders', 'read').map((p) => p.id)).toEqual(['read-orders'])
    expect(grantingPolicies(policies, 'orders', 'update').map((p) => p.id)).toEqual(['write-orders'])
    expect(grantingPolicies(policies, 'orders', 'delete')).toEqual([])
  })
})

describe('seams replace one rule at a time', () => {
  it('a frozen policy (as stored) is judged by the seams of each call, not of the first', () => {
    const policy = pol('p', [cond('absent', 'eq', 1), { owner: true }])
    Object.freeze(policy.filters)
    Object.freeze(policy)
    const lenient = { ...defaultSeams, missingFieldHolds: () => true, ownerHolds: () => true }
    expect(policyAdmits(policy, record, 'usr_Someone', defaultSeams)).toBe(false)
    expect(policyAdmits(policy, record, 'usr_Someone', lenient)).toBe(true)
    expect(admitter([policy], 'usr_Someone', defaultSeams)(record)).toBe(false)
    expect(admitter([policy], 'usr_Someone', lenient)(record)).toBe(true)
  })

  it('filters OR-ed instead of AND-ed changes the decision', () => {
    const seams = { ...defaultSeams, combineFilters: <F>(filters: readonly F[], holds: (f: F) => boolean) => filters.some(holds) }
    const policy = pol('p', [cond('total', 'gt', 100), cond('status', 'eq', 'paid')])
    expect(policyAdmits(policy, record, caller, defaultSeams)).toBe(false)
    expect(policyAdmits(policy, record, caller, seams)).toBe(true)
  })
})
