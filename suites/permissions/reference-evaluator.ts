// A reference policy evaluator written from the requirement catalogue (PERM-001..007,
// PERM-015) and the PolicyInput schema — deliberately not from any implementation — so
// the differential suite can compute what a conforming target must answer. Pure: no
// I/O, no clock.

export type Action = 'create' | 'read' | 'update' | 'delete'
export type Scalar = string | number | boolean | null

export interface PolicySubject {
  type: 'api_key' | 'user' | 'namespace'
  id: string
}

export type Condition =
  | { field: string; op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte'; value: Scalar }
  | { field: string; op: 'in'; value: Scalar[] }
export type Filter = Condition | { owner: true }

export interface Policy {
  id: string
  subjects: PolicySubject[]
  resources: string[]
  actions: Action[]
  filters: Filter[]
}

/** Who asks: a key or a user (with its namespaces), or a bare namespace (check only). */
export interface Caller {
  type: PolicySubject['type']
  id: string
  /** A user's namespaces; empty for keys and namespaces. */
  namespaces: readonly string[]
}

export type RecordFields = Record<string, unknown>

/** JSON type of a value, telling null and arrays apart from objects. */
function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/** Equality of two values of the same scalar JSON type (PERM-006: no coercion). */
function sameScalar(a: unknown, b: unknown): boolean {
  const type = jsonType(a)
  return type === jsonType(b) && type !== 'array' && type !== 'object' && a === b
}

/** Orders two values when both are numbers or both strings (code point order), else undefined. */
function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b)
  return undefined
}

function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a, (char) => char.codePointAt(0)!)
  const right = Array.from(b, (char) => char.codePointAt(0)!)
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    if (left[i] !== right[i]) return left[i]! - right[i]!
  }
  return left.length - right.length
}

/**
 * PERM-005/PERM-006: a condition on a missing field never holds (ne included), nor does
 * a comparison across JSON types; `in` holds when the field equals one element.
 */
export function conditionHolds(condition: Condition, record: RecordFields): boolean {
  if (!Object.hasOwn(record, condition.field)) return false
  const field = record[condition.field]
  switch (condition.op) {
    case 'eq':
      return sameScalar(field, condition.value)
    case 'ne':
      // The value is a scalar, so a field of the same JSON type is one too.
      return jsonType(field) === jsonType(condition.value) && field !== condition.value
    case 'in':
      return condition.value.some((element) => sameScalar(field, element))
    default: {
      const order = compare(field, condition.value)
      if (order === undefined) return false
      if (condition.op === 'gt') return order > 0
      if (condition.op === 'gte') return order >= 0
      if (condition.op === 'lt') return order < 0
      return order <= 0
    }
  }
}

/** PERM-003: `{owner: true}` holds exactly when the record's owner is the caller's id. */
export function filterHolds(filter: Filter, record: RecordFields, caller: Caller): boolean {
  if ('owner' in filter) return record.owner === caller.id
  return conditionHolds(filter, record)
}

/** PERM-004: a policy applies to a subject named directly or to a user through a namespace. */
export function appliesTo(policy: Policy, caller: Caller): boolean {
  return policy.subjects.some(
    (subject) =>
      (subject.type === caller.type && subject.id === caller.id) ||
      (caller.type === 'user' && subject.type === 'namespace' && caller.namespaces.includes(subject.id)),
  )
}

/** The caller's policies that grant `action` on `dataset`, whatever their filters. */
export function grantingPolicies(policies: readonly Policy[], caller: Caller, dataset: string, action: Action): Policy[] {
  return policies.filter(
    (policy) => appliesTo(policy, caller) && policy.resources.includes(dataset) && policy.actions.includes(action),
  )
}

/**
 * PERM-015: the check endpoint's answer. Without a record: the granting policies. With a
 * record: the granting policies whose filters all hold (PERM-002); allowed iff any (PERM-001).
 */
export function check(
  policies: readonly Policy[],
  caller: Caller,
  dataset: string,
  action: Action,
  record?: RecordFields,
): { allowed: boolean; matched_policies: string[] } {
  const granting = grantingPolicies(policies, caller, dataset, action)
  const matched = record === undefined ? granting : granting.filter((policy) => policy.filters.every((filter) => filterHolds(filter, record, caller)))
  return { allowed: matched.length > 0, matched_policies: matched.map((policy) => policy.id) }
}

/** PERM-007: the records a list must return — exactly those some read policy admits. */
export function readableRecords<R extends RecordFields>(policies: readonly Policy[], caller: Caller, dataset: string, records: readonly R[]): R[] {
  return records.filter((record) => check(policies, caller, dataset, 'read', record).allowed)
}

/**
 * PERM-010/PERM-011: the status a single-record request must get when it is refused, or
 * 'allowed'. Reading a record the caller may not read is 404 (nonexistent or hidden).
 */
export function recordDecision(
  policies: readonly Policy[],
  caller: Caller,
  dataset: string,
  action: Exclude<Action, 'create'>,
  record: RecordFields,
): 'allowed' | 403 | 404 {
  if (grantingPolicies(policies, caller, dataset, action).length === 0) return 403
  if (check(policies, caller, dataset, action, record).allowed) return 'allowed'
  return check(policies, caller, dataset, 'read', record).allowed ? 403 : 404
}

/**
 * PERM-009: an update needs some update policy admitting the stored record and some
 * admitting the result; a refusal is 403 or 404 by PERM-011 (decided on the stored record).
 */
export function updateDecision(
  policies: readonly Policy[],
  caller: Caller,
  dataset: string,
  stored: RecordFields,
  result: RecordFields,
): 'allowed' | 403 | 404 {
  const before = recordDecision(policies, caller, dataset, 'update', stored)
  if (before !== 'allowed') return before
  if (check(policies, caller, dataset, 'update', result).allowed) return 'allowed'
  return check(policies, caller, dataset, 'read', stored).allowed ? 403 : 404
}

/** RFC 7396 merge patch on a flat record: null removes a field, anything else replaces it. */
export function mergePatch(record: RecordFields, patch: RecordFields): RecordFields {
  const result: RecordFields = { ...record }
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete result[field]
    else result[field] = value
  }
  return result
}
