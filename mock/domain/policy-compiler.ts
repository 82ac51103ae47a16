/**
 * Policies compiled to JavaScript, as ajv compiles a schema: a list request tests every
 * record it examines against the caller's granting policies, and the interpreted evaluator
 * (evaluator.ts) pays several closure calls and a keyed property read per condition. A
 * caller's granting list becomes one function that reads each field by its literal name and
 * compares with literal values: one call per record, with inline caches of its own.
 *
 * It decides exactly what evaluator.ts decides with the default seams (tested exhaustively
 * and as properties against it); replaced seams (the defect catalogue) use the interpreted
 * evaluator. Field names and values enter the code only as literals — JSON for strings,
 * booleans and null, String for numbers — so no policy can become code.
 */
import type { Condition, Filter, Policy } from './contract.ts'
import { compareCodePoints, isOwnerFilter, isScalar, type RecordFields } from './evaluator.ts'
import { defaultSeams, type Seams } from './seams.ts'

export type CompiledPolicy = (record: RecordFields, callerId: string) => boolean

/**
 * A scalar as a JavaScript literal. JSON writes NaN and ±Infinity (which YAML fixtures can
 * hold) as null, so numbers are written by String, which round-trips every number.
 */
function literal(value: string | number | boolean | null): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value)
}

const ORDER_OPERATORS: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' }

/**
 * The value test of a condition on `x` (the record's value of the field), or null when the
 * condition can never hold (a value the operator cannot compare with).
 */
function valueTest(op: Condition['op'], expected: unknown): string | null {
  switch (op) {
    case 'eq':
      // `===` with a scalar literal already means: same JSON type and equal.
      return isScalar(expected) ? `x === ${literal(expected)}` : null
    case 'ne':
      // Same JSON type and different; null has no other value of its type.
      return isScalar(expected) && expected !== null ? `typeof x === ${literal(typeof expected)} && x !== ${literal(expected)}` : null
    case 'in':
      if (!Array.isArray(expected)) return null
      return (expected as unknown[]).filter(isScalar).map((candidate) => `x === ${literal(candidate)}`).join(' || ') || null
    default: {
      const operator = ORDER_OPERATORS[op]
      if (operator === undefined) return null
      // x − v compared with 0, as the evaluator's sign of the difference: the same answer
      // for NaN and infinities (Infinity >= Infinity does not hold there either).
      if (typeof expected === 'number') return `typeof x === "number" && x - (${literal(expected)}) ${operator} 0`
      if (typeof expected === 'string') return `typeof x === "string" && compareCodePoints(x, ${literal(expected)}) ${operator} 0`
      return null
    }
  }
}

/** A filter as an expression of `r` (the record) and `c` (the caller's id). */
function filterExpression(filter: Filter): string {
  if (isOwnerFilter(filter)) return 'r.owner === c'
  const { field, op, value } = filter as Condition
  const test = valueTest(op, value)
  if (test === null) return 'false'
  // A field the record lacks never holds (inherited names such as `constructor` included):
  // the own-property check comes last, once the value has passed.
  const name = JSON.stringify(field)
  return `((x = r[${name}]), (${test}) && hasOwn(r, ${name}))`
}

/** AND within a policy; no filters admit every record. */
function policyExpression(policy: Pick<Policy, 'filters'>): string {
  return policy.filters.map((filter) => `(${filterExpression(filter)})`).join(' && ') || 'true'
}

function compiled(expression: string): CompiledPolicy {
  const build = new Function('compareCodePoints', 'hasOwn', `return function admits(r, c) { let x; return ${expression} }`)
  return build(compareCodePoints, Object.hasOwn) as CompiledPolicy
}

/** One policy compiled. */
export function compilePolicy(policy: Pick<Policy, 'filters'>): CompiledPolicy {
  return compiled(policyExpression(policy))
}

/** OR across policies, in one function: one call per record examined, whatever the list. */
export function compilePolicies(policies: readonly Pick<Policy, 'filters'>[]): CompiledPolicy {
  return compiled(policies.map((policy) => `(${policyExpression(policy)})`).join(' || ') || 'false')
}

const isFrozenPolicy = (policy: Policy): boolean => Object.isFrozen(policy) && Object.isFrozen(policy.filters) && policy.filters.every(Object.isFrozen)

/**
 * Granting lists compiled, kept while the list lives: stored policies are frozen all through
 * and replaced, never changed, and the permissions module keeps each caller's frozen
 * granting list until a policy changes. A list that may still change is compiled afresh.
 */
const compiledLists = new WeakMap<readonly Policy[], CompiledPolicy>()

export function compiledList(granting: readonly Policy[]): CompiledPolicy {
  let admits = compiledLists.get(granting)
  if (admits !== undefined) return admits
  admits = compilePolicies(granting)
  if (Object.isFrozen(granting) && granting.every(isFrozenPolicy)) compiledLists.set(granting, admits)
  return admits
}

/** The seams whose default rules the compiled policies build in. */
const BUILT_IN_RULES = ['combineFilters', 'combinePolicies', 'ownerHolds', 'missingFieldHolds'] as const

/** Node run with --disallow-code-generation-from-strings refuses `new Function`. */
function codeGenerationAllowed(): boolean {
  try {
    return new Function('return true')() === true
  } catch {
    return false
  }
}

/**
 * Whether policies are compiled: the seams keep the default rules (compiled policies decide
 * as the interpreted evaluator does with them) and the process allows code generation.
 */
export function compilesUnder(seams: Pick<Seams, (typeof BUILT_IN_RULES)[number]>, allowed = codeGenerationAllowed()): boolean {
  return allowed && BUILT_IN_RULES.every((name) => seams[name] === defaultSeams[name])
}

/** OR across the granting policies, compiled: the admitter of a list with the default rules. */
export function compiledAdmitter(granting: readonly Policy[], callerId: string): (record: RecordFields) => boolean {
  const admits = compiledList(granting)
  return (record) => admits(record, callerId)
}
