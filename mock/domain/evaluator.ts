/**
 * The policy evaluator: pure functions from (policies, record, caller) to decisions.
 * OR across policies, AND within one (both via seams); a condition on a missing field or
 * between different JSON types never holds; ordering only number/number or string/string.
 */
import type { Action, Condition, Filter, Policy, Scalar } from './contract.ts'
import type { Seams } from './seams.ts'

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

/** −1/0/1 for number/number or string/string; null when the types do not order. */
function order(left: unknown, right: unknown): number | null {
  if (typeof left === 'number' && typeof right === 'number') return Math.sign(left - right)
  if (typeof left === 'string' && typeof right === 'string') return Math.sign(compareCodePoints(left, right))
  return null
}

function ordered(left: unknown, right: unknown, accept: (sign: number) => boolean): boolean {
  const sign = order(left, right)
  return sign !== null && accept(sign)
}

// Made once: a function literal in the switch below would be a new closure per condition test.
const ABOVE = (sign: number): boolean => sign > 0
const AT_OR_ABOVE = (sign: number): boolean => sign >= 0
const BELOW = (sign: number): boolean => sign < 0
const AT_OR_BELOW = (sign: number): boolean => sign <= 0

function includesScalar(candidates: readonly unknown[], actual: unknown): boolean {
  for (const candidate of candidates) if (scalarEquals(actual, candidate)) return true
  return false
}

/** One condition on one record. */
export function conditionHolds(condition: Condition, record: RecordFields, seams: Pick<Seams, 'missingFieldHolds'>): boolean {
  if (!Object.hasOwn(record, condition.field)) return seams.missingFieldHolds(condition.op)
  const actual = record[condition.field]
  const expected = condition.value
  switch (condition.op) {
    case 'eq':
      return scalarEquals(actual, expected)
    case 'ne':
      return isScalar(actual) && isScalar(expected) && typeof actual === typeof expected && actual !== expected
    case 'gt':
      return ordered(actual, expected, ABOVE)
    case 'gte':
      return ordered(actual, expected, AT_OR_ABOVE)
    case 'lt':
      return ordered(actual, expected, BELOW)
    case 'lte':
      return ordered(actual, expected, AT_OR_BELOW)
    case 'in':
      return Array.isArray(expected) && includesScalar(expected, actual)
    default:
      return false
  }
}

export function isOwnerFilter(filter: Filter): filter is { owner: true } {
  return (filter as { owner?: unknown }).owner === true
}

export function filterHolds(filter: Filter, record: RecordFields, callerId: string, seams: EvaluatorSeams): boolean {
  return isOwnerFilter(filter) ? seams.ownerHolds(record, callerId) : conditionHolds(filter as Condition, record, seams)
}

/** AND within a policy. */
export function policyAdmits(policy: Policy, record: RecordFields, callerId: string, seams: EvaluatorSeams): boolean {
  return seams.combineFilters(policy.filters, (filter) => filterHolds(filter, record, callerId, seams))
}

/** Policies (already applying to the subject) that name the dataset and the action. */
export function grantingPolicies(policies: readonly Policy[], dataset: string, action: Action): Policy[] {
  return policies.filter((policy) => policy.resources.includes(dataset) && policy.actions.includes(action))
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

/** OR across granting policies: is the record admitted? */
export function admitted(granting: readonly Policy[], record: RecordFields, callerId: string, seams: EvaluatorSeams): boolean {
  return admitter(granting, callerId, seams)(record)
}

/**
 * `admitted` for many records of one request (a list): the callbacks handed to the seams
 * are made once here, not once per record and policy — a list may test thousands of records.
 */
export function admitter(granting: readonly Policy[], callerId: string, seams: EvaluatorSeams): (record: RecordFields) => boolean {
  // The record under test; set before each evaluation, read by the callbacks below.
  let current: RecordFields = {}
  const holds = (filter: Filter): boolean => filterHolds(filter, current, callerId, seams)
  const admits = (policy: Policy): boolean => seams.combineFilters(policy.filters, holds)
  return (record) => {
    current = record
    return seams.combinePolicies(granting, admits)
  }
}
