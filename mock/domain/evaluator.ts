/**
 * The policy evaluator: pure functions from (policies, record, caller) to decisions.
 * OR across policies, AND within one (both via seams); a condition on a missing field or
 * between different JSON types never holds; ordering only number/number or string/string.
 */
import type { Action, Condition, Filter, Policy, Scalar } from './contract.ts'
import { defaultSeams, type Seams } from './seams.ts'

export type RecordFields = { readonly [field: string]: unknown }
type EvaluatorSeams = Pick<Seams, 'combineFilters' | 'combinePolicies' | 'ownerHolds' | 'missingFieldHolds'>

export function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
}

/** Same JSON type and equal. Non-scalars never compare equal (records are flat). */
function scalarEquals(left: unknown, right: unknown): boolean {
  return isScalar(left) && isScalar(right) && typeof left === typeof right && left === right
}

/**
 * Compares strings by Unicode code point. JS `<` compares UTF-16 units, which disagrees only
 * when a surrogate (U+D800–DFFF) meets a unit in U+E000–FFFF; shifting those ranges fixes it.
 */
export function compareCodePoints(left: string, right: string): number {
  const length = Math.min(left.length, right.length)
  for (let i = 0; i < length; i++) {
    const a = left.charCodeAt(i)
    const b = right.charCodeAt(i)
    if (a !== b) return codePointOrder(a) - codePointOrder(b)
  }
  return left.length - right.length
}

function codePointOrder(unit: number): number {
  if (unit < 0xd800) return unit
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000
}

/** A test of one record's value of a condition's field. */
type ValueTest = (actual: unknown) => boolean
/** A filter made into a test of a record for a caller. */
type FilterTest = (record: RecordFields, callerId: string) => boolean

const NEVER: ValueTest = () => false

// Made once: a function literal in orderTest's callers would be a new closure per condition.
const ABOVE = (sign: number): boolean => sign > 0
const AT_OR_ABOVE = (sign: number): boolean => sign >= 0
const BELOW = (sign: number): boolean => sign < 0
const AT_OR_BELOW = (sign: number): boolean => sign <= 0

/** Ordering only number/number (numeric) or string/string (by code point); other pairs never hold. */
function orderTest(expected: unknown, accept: (sign: number) => boolean): ValueTest {
  if (typeof expected === 'number') return (actual) => typeof actual === 'number' && accept(Math.sign(actual - expected))
  if (typeof expected === 'string') return (actual) => typeof actual === 'string' && accept(Math.sign(compareCodePoints(actual, expected)))
  return NEVER
}

function valueTest(op: string, expected: unknown): ValueTest {
  switch (op) {
    case 'eq':
      return (actual) => scalarEquals(actual, expected)
    case 'ne':
      return (actual) => isScalar(actual) && isScalar(expected) && typeof actual === typeof expected && actual !== expected
    case 'gt':
      return orderTest(expected, ABOVE)
    case 'gte':
      return orderTest(expected, AT_OR_ABOVE)
    case 'lt':
      return orderTest(expected, BELOW)
    case 'lte':
      return orderTest(expected, AT_OR_BELOW)
    case 'in': {
      if (!Array.isArray(expected)) return NEVER
      const candidates: readonly unknown[] = [...expected]
      return (actual) => {
        for (const candidate of candidates) if (scalarEquals(actual, candidate)) return true
        return false
      }
    }
    default:
      return NEVER
  }
}

/**
 * A condition made into a test: the operator and value are looked at once, not once per
 * record. The one definition of what a condition means.
 */
function conditionTest(condition: Condition, seams: Pick<Seams, 'missingFieldHolds'>): FilterTest {
  const { field, op } = condition
  const holds = valueTest(op, condition.value)
  return (record) => (Object.hasOwn(record, field) ? holds(record[field]) : seams.missingFieldHolds(op))
}

/** One condition on one record. */
export function conditionHolds(condition: Condition, record: RecordFields, seams: Pick<Seams, 'missingFieldHolds'>): boolean {
  return conditionTest(condition, seams)(record, '')
}

export function isOwnerFilter(filter: Filter): filter is { owner: true } {
  return (filter as { owner?: unknown }).owner === true
}

function filterTest(filter: Filter, seams: EvaluatorSeams): FilterTest {
  return isOwnerFilter(filter) ? (record, callerId) => seams.ownerHolds(record, callerId) : conditionTest(filter as Condition, seams)
}

export function filterHolds(filter: Filter, record: RecordFields, callerId: string, seams: EvaluatorSeams): boolean {
  return filterTest(filter, seams)(record, callerId)
}

/** A policy's filters as tests. (Kept nowhere: the hot path, the default rules, is compiled — policy-compiler.ts.) */
function policyTests(policy: Policy, seams: EvaluatorSeams): readonly FilterTest[] {
  return policy.filters.map((filter) => filterTest(filter, seams))
}

/** AND within a policy. */
export function policyAdmits(policy: Policy, record: RecordFields, callerId: string, seams: EvaluatorSeams): boolean {
  return seams.combineFilters(policyTests(policy, seams), (test) => test(record, callerId))
}

/** Policies (already applying to the subject) that name the dataset and grant the action. */
export function grantingPolicies(policies: readonly Policy[], dataset: string, action: Action, seams: Pick<Seams, 'actionGranted'> = defaultSeams): Policy[] {
  return policies.filter((policy) => policy.resources.includes(dataset) && seams.actionGranted(policy.actions, action))
}

export interface Evaluation {
  allowed: boolean
  /** Ids of granting policies whose filters all hold (all granting policies when no record). */
  matched: string[]
}

/** The decision for granting policies on a record (or, without a record, on the action alone). */
export function evaluate(granting: readonly Policy[], record: RecordFields | undefined, callerId: string, seams: EvaluatorSeams): Evaluation {
  if (record === undefined) return { allowed: granting.length > 0, matched: granting.map((policy) => policy.id) }
  const admits = (policy: Policy): boolean => policyAdmits(policy, record, callerId, seams)
  return {
    allowed: seams.combinePolicies(granting, admits),
    matched: granting.filter(admits).map((policy) => policy.id),
  }
}

/**
 * OR across granting policies, for the records of one request (a list): the callbacks handed
 * to the seams are made once here, not once per record and policy.
 */
export function admitter(granting: readonly Policy[], callerId: string, seams: EvaluatorSeams): (record: RecordFields) => boolean {
  const policies = granting.map((policy) => policyTests(policy, seams))
  // The record under test; set before each evaluation, read by the callbacks below.
  let current: RecordFields = {}
  const holds = (test: FilterTest): boolean => test(current, callerId)
  const admits = (tests: readonly FilterTest[]): boolean => seams.combineFilters(tests, holds)
  return (record) => {
    current = record
    return seams.combinePolicies(policies, admits)
  }
}
