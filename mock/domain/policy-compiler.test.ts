import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Condition, Filter, Policy } from './contract.ts'
import { admitter, policyAdmits, type RecordFields } from './evaluator.ts'
import { compiledAdmitter, compiledList, compilePolicy, compilesUnder } from './policy-compiler.ts'
import { defaultSeams, type Seams } from './seams.ts'

const CALLERS = ['usr_AliceAliceAlice0001', 'key_BobBobBobBobBobBob00001']
// Few names, so that generated filters and records meet often; `constructor` is inherited.
const FIELDS = ['a', 'b', 'constructor']
// Every JSON type, values that compare oddly (−0, NaN and infinities from YAML fixtures,
// code points past the BMP against one below), and look-alikes of other types.
const VALUES: unknown[] = [0, -0, 1, Number.NaN, Infinity, -Infinity, '', '1', 'a', '\u{1F600}', '\uFF5E', true, false, null, ['a']]
const OPS: Condition['op'][] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in']

const value = fc.constantFrom(...VALUES)
const condition = (fields: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.record({ field: fields, op: fc.constantFrom(...OPS), value }),
    fc.record({ field: fields, op: fc.constant('in' as const), value: fc.array(value, { maxLength: 3 }) }),
  ) as fc.Arbitrary<Filter>
const filter: fc.Arbitrary<Filter> = fc.oneof({ weight: 1, arbitrary: fc.constant({ owner: true as const }) }, { weight: 6, arbitrary: condition(fc.constantFrom(...FIELDS)) })
/** As records are stored: frozen, own data properties even for names like __proto__. */
const stored = (owner: string, fields: Record<string, unknown>): RecordFields => {
  const record: Record<string, unknown> = { owner }
  for (const [field, fieldValue] of Object.entries(fields)) Object.defineProperty(record, field, { value: fieldValue, enumerable: true })
  return Object.freeze(record)
}
const recordArb: fc.Arbitrary<RecordFields> = fc
  .tuple(fc.constantFrom(...CALLERS, 'usr_Someone'), fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 3 }))
  .map(([owner, fields]) => stored(owner, fields))

const policyOf = (id: string, filters: Filter[]): Policy => ({ id, description: '', subjects: [], resources: ['d'], actions: ['read'], filters })

describe('a compiled policy decides as the interpreted evaluator with the default rules', () => {
  it('for one condition: every operator × every value × every record value, missing and inherited fields', () => {
    const expectations = [...VALUES, VALUES.slice(0, 5), VALUES.slice(5, 10), VALUES.slice(10), []]
    const records = [...VALUES.map((each) => stored(CALLERS[0]!, { a: each })), stored(CALLERS[0]!, {})]
    for (const op of OPS) {
      for (const expected of expectations) {
        for (const field of ['a', 'constructor']) {
          const policy = policyOf('p', [{ field, op, value: expected } as Condition])
          const compiled = compilePolicy(policy)
          for (const record of records) expect(compiled(record, CALLERS[0]!), `${field} ${op} ${String(expected)}`).toBe(policyAdmits(policy, record, CALLERS[0]!, defaultSeams))
        }
      }
    }
  })

  it('for any filters, record and caller (property)', () => {
    fc.assert(
      fc.property(fc.array(filter, { maxLength: 4 }), recordArb, fc.constantFrom(...CALLERS), (filters, record, caller) => {
        const policy = policyOf('p', filters)
        expect(compilePolicy(policy)(record, caller)).toBe(policyAdmits(policy, record, caller, defaultSeams))
      }),
      { numRuns: 3000 },
    )
  })

  it('for any field name, quotes and line separators included: a name is data, never code (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), condition(fc.constant('')), (name, template) => {
        const policy = policyOf('p', [{ ...(template as Condition), field: name }])
        for (const record of [stored(CALLERS[0]!, { [name]: (template as Condition).value }), stored(CALLERS[0]!, {})]) {
          expect(compilePolicy(policy)(record, CALLERS[0]!)).toBe(policyAdmits(policy, record, CALLERS[0]!, defaultSeams))
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('for lists of policies: OR across them (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(filter, { maxLength: 3 }), { maxLength: 4 }), fc.array(recordArb, { maxLength: 5 }), (filterSets, records) => {
        const policies = filterSets.map((filters, index) => policyOf(`p${index}`, filters))
        const compiled = compiledAdmitter(policies, CALLERS[0]!)
        const interpreted = admitter(policies, CALLERS[0]!, defaultSeams)
        expect(records.map(compiled)).toEqual(records.map(interpreted))
      }),
      { numRuns: 500 },
    )
  })

  it.each<[string, Filter[], RecordFields, boolean]>([
    ['no filters admit every record', [], {}, true],
    ['a field name is data, never code', [{ field: '"]); throw 1; //', op: 'eq', value: 1 }], { '"]); throw 1; //': 1 }, true],
    ['a string value is data, never code', [{ field: 's', op: 'eq', value: '"; throw 1; "' }], { s: '"; throw 1; "' }, true],
    ['an inherited name is no field', [{ field: 'constructor', op: 'ne', value: 'x' }], {}, false],
    ['Infinity is not written as null', [{ field: 'n', op: 'lt', value: Infinity }], { n: 5 }, true],
    ['NaN equals nothing, not null', [{ field: 'n', op: 'eq', value: Number.NaN }], { n: null }, false],
  ] as [string, Filter[], RecordFields, boolean][])('%s', (_name, filters, record, expected) => {
    expect(compilePolicy(policyOf('p', filters))(record, CALLERS[0]!)).toBe(expected)
  })
})

describe('compiledList', () => {
  it('compiles a stored (frozen) granting list once, and a list that may still change afresh', () => {
    const frozenPolicy = (id: string, filters: Filter[]) => Object.freeze({ ...policyOf(id, []), filters: Object.freeze(filters.map((each) => Object.freeze(each))) }) as Policy
    const storedList = Object.freeze([frozenPolicy('p', [{ owner: true }]), frozenPolicy('q', [{ field: 'a', op: 'eq', value: 1 }])])
    expect(compiledList(storedList)).toBe(compiledList(storedList))
    expect(compiledList(storedList)(stored('usr_Someone', { a: 1 }), CALLERS[0]!)).toBe(true)
    const loose = [policyOf('p', [{ owner: true }])]
    expect(compiledList(loose)).not.toBe(compiledList(loose))
  })
})

describe('compilesUnder', () => {
  it('holds for the default rules only: a replaced rule (a defect) is interpreted', () => {
    expect(compilesUnder(defaultSeams)).toBe(true)
    for (const name of ['combineFilters', 'combinePolicies', 'ownerHolds', 'missingFieldHolds'] as const) {
      expect(compilesUnder({ ...defaultSeams, [name]: () => true })).toBe(false)
    }
    const listIgnoresFilters: Seams = { ...defaultSeams, listIncludes: () => true }
    expect(compilesUnder(listIgnoresFilters)).toBe(true)
  })

  it('does not hold where code generation is refused (node --disallow-code-generation-from-strings)', () => {
    expect(compilesUnder(defaultSeams, false)).toBe(false)
  })
})
