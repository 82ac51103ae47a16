// Crediting a disagreement to the rule that decided it: each variant gets its rule wrong
// somewhere (no variant is the contract in disguise), and typical misimplementations are
// credited to their own requirement — not to every requirement the differential case covers.
import { describe, expect, it } from 'vitest'
import { check, CONTRACT_RULES, readableRecords, recordDecision, updateDecision, type Caller, type Policy, type Rules } from './reference-evaluator.ts'
import { disagreements, RULE_VARIANTS, type Comparison } from './rule-variants.ts'

const member: Caller = { type: 'user', id: 'usr_member', namespaces: ['staff'] }
const key: Caller = { type: 'api_key', id: 'key_writer', namespaces: [] }
const policy = (id: string, fields: Partial<Policy>): Policy => ({ id, subjects: [{ type: 'api_key', id: key.id }], resources: ['d'], actions: ['read'], filters: [], ...fields })

describe('RULE_VARIANTS', () => {
  it.each(RULE_VARIANTS.map((variant) => [`${variant.requirement} ${variant.wrong}`, variant] as const))('%s changes the rules', (_, variant) => {
    const changed = Object.entries(variant.rules).some(([name, rule]) => rule !== CONTRACT_RULES[name as keyof Rules])
    expect(changed).toBe(true)
  })
})

/** One comparison's disagreement, judged alone. */
const disagreement = (comparison: Comparison) => disagreements([comparison])[0]

describe('disagreements', () => {
  const updateOnly = [policy('pol_edit', { actions: ['read', 'update'] })]
  const record = { id: 'r', owner: 'someone', state: 'draft', color: 'blue' }

  it('is undefined when the target agrees', () => {
    expect(disagreement({ what: 'x', actual: 403, expected: (rules) => recordDecision(updateOnly, key, 'd', 'delete', record, rules), requirement: 'PERM-017' })).toBeUndefined()
    expect(disagreement({ what: 'x', actual: 204, expected: () => 403, requirement: 'PERM-017' })).toMatchObject({ expected: 403, actual: 204 })
  })

  it.each([
    ['a delete let through by an update grant', 204, (rules: Rules) => (recordDecision(updateOnly, key, 'd', 'delete', record, rules) === 'allowed' ? 204 : 403), 'PERM-017', ['PERM-010']],
    ['filters OR’d', { allowed: true, matched: ['pol_two'] }, (rules: Rules) => {
      const answer = check([policy('pol_two', { filters: [{ field: 'state', op: 'eq', value: 'draft' }, { field: 'color', op: 'eq', value: 'red' }] })], key, 'd', 'read', record, rules)
      return { allowed: answer.allowed, matched: answer.matched_policies }
    }, 'PERM-015', ['PERM-002']],
    ['a namespace ignored', 403, (rules: Rules) => recordDecision([policy('pol_ns', { subjects: [{ type: 'namespace', id: 'staff' }] })], member, 'd', 'read', record, rules) === 'allowed' ? 200 : 403, 'PERM-011', ['PERM-004']],
    ['a refused update’s result leaking existence', 403, (rules: Rules) => updateDecision(
      [policy('pol_red', { filters: [{ field: 'color', op: 'eq', value: 'red' }] }), policy('pol_draft', { actions: ['update'], filters: [{ field: 'state', op: 'eq', value: 'draft' }] })],
      key, 'd', record, { ...record, state: 'final' }, rules,
    ), 'PERM-009', ['PERM-011']],
    ['an answer no single rule explains', 500, (rules: Rules) => recordDecision(updateOnly, key, 'd', 'read', record, rules), 'PERM-011', ['PERM-011']],
  ] as const)('credits %s to its rule', (_, actual, expected, fallback, requirements) => {
    expect(disagreement({ what: 'x', actual, expected, requirement: fallback })?.requirements).toEqual(requirements)
  })

  it('prefers the rule that agrees with the rest of the scenario: a listing wrong where single reads are right is PERM-007', () => {
    const records = [{ id: 'r1', owner: 'o', n: 1 }, { id: 'r2', owner: 'o', n: 2 }]
    const policies = [policy('pol_one', { filters: [{ field: 'n', op: 'eq', value: 1 }] })]
    const listing: Comparison = { what: 'lists', actual: ['r1', 'r2'], expected: (rules) => readableRecords(policies, key, 'd', records, rules).map((r) => r.id), requirement: 'PERM-007' }
    const read: Comparison = { what: 'reads r2', actual: 404, expected: (rules) => recordDecision(policies, key, 'd', 'read', records[1]!, rules), requirement: 'PERM-011' }
    // Alone, "filters ignored" (PERM-002) explains the listing as well; the read it would get wrong rules it out.
    expect(disagreements([listing])[0]!.requirements).toEqual(['PERM-002', 'PERM-007'])
    expect(disagreements([listing, read])).toEqual([expect.objectContaining({ what: 'lists', requirements: ['PERM-007'] })])
  })
})
