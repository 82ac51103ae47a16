// A reference policy evaluator written from the requirement catalogue (PERM-001..011,
// PERM-015, PERM-017) and the PolicyInput schema — deliberately not from any
// implementation — so the differential suite can compute what a conforming target must
// answer. Each rule it applies is one entry of `Rules`, named after its requirement, so
// that rule-variants.ts can get exactly one rule wrong and tell which rule decided a
// disagreement. Pure: no I/O, no clock.

export type Action = 'create' | 'read' | 'update' | 'delete'
export type Scalar = string | number | boolean | null
export type Operator = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte'

export interface PolicySubject {
  type: 'api_key' | 'user' | 'namespace'
  id: string
}

export type Condition =
  | { field: string; op: Operator; value: Scalar }
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
export type Refusal = 403 | 404

/** The rules the catalogue states, one decision each. */
export interface Rules {
  /** PERM-001: a request is allowed when any granting policy admits it. */
  combinePolicies(admits: readonly boolean[]): boolean
  /** PERM-002: a policy admits a record when every one of its filters holds (none: every record). */
  combineFilters(holds: readonly boolean[]): boolean
  /** PERM-003: `{owner: true}` holds when the record's owner is the caller. */
  ownerHolds(record: RecordFields, caller: Caller): boolean
  /** PERM-004: a namespace subject applies to the users whose namespaces include it. */
  namespaceApplies(namespace: string, caller: Caller): boolean
  /** PERM-005: a condition on a field the record lacks. */
  missingFieldHolds(op: Condition['op']): boolean
  /** PERM-005: whether values of different JSON types are compared at all (coerced) or never hold. */
  coercesTypes: boolean
  /** PERM-006: which comparison each operator makes. */
  operator(op: Operator): Operator
  /** PERM-010: a policy grants exactly the actions it names. */
  actionGranted(actions: readonly Action[], action: Action): boolean
  /** PERM-007: a listing returns the records the read policies admit (false: every record). */
  listFilters: boolean
  /** PERM-015: matched_policies are the granting policies whose filters all hold (false: all granting ones). */
  matchedByFilters: boolean
  /** PERM-008, PERM-009, PERM-017: which writes check the policies' filters. */
  createChecksRecord: boolean
  updateChecksStored: boolean
  updateChecksResult: boolean
  deleteChecksRecord: boolean
  /** PERM-011: a granted action refused by the filters: 403 when the caller can read the record, else 404. */
  refusal(canRead: boolean): Refusal
  /** PERM-011: an update refused for its result is judged on the stored record like any other (false: 403). */
  resultRefusalHides: boolean
}

export const CONTRACT_RULES: Rules = {
  combinePolicies: (admits) => admits.some(Boolean),
  combineFilters: (holds) => holds.every(Boolean),
  ownerHolds: (record, caller) => record.owner === caller.id,
  namespaceApplies: (namespace, caller) => caller.type === 'user' && caller.namespaces.includes(namespace),
  missingFieldHolds: () => false,
  coercesTypes: false,
  operator: (op) => op,
  actionGranted: (actions, action) => actions.includes(action),
  listFilters: true,
  matchedByFilters: true,
  createChecksRecord: true,
  updateChecksStored: true,
  updateChecksResult: true,
  deleteChecksRecord: true,
  refusal: (canRead) => (canRead ? 403 : 404),
  resultRefusalHides: true,
}

/** JSON type of a value, telling null and arrays apart from objects. */
function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/** Equality of two values of the same scalar JSON type (PERM-006: no coercion). */
function sameScalar(a: unknown, b: unknown, rules: Rules): boolean {
  // The coercing variant of PERM-005 is JavaScript's loose equality.
  if (rules.coercesTypes) return jsonType(a) !== 'array' && jsonType(a) !== 'object' && a == b
  const type = jsonType(a)
  return type === jsonType(b) && type !== 'array' && type !== 'object' && a === b
}

/** Orders two values when both are numbers or both strings (code point order), else undefined. */
function compare(a: unknown, b: unknown, rules: Rules): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b)
  if (rules.coercesTypes && jsonType(a) !== 'array' && jsonType(a) !== 'object') {
    const [x, y] = [Number(a), Number(b)]
    return Number.isNaN(x) || Number.isNaN(y) ? undefined : x - y
  }
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
export function conditionHolds(condition: Condition, record: RecordFields, rules: Rules = CONTRACT_RULES): boolean {
  if (!Object.hasOwn(record, condition.field)) return rules.missingFieldHolds(condition.op)
  const field = record[condition.field]
  if (condition.op === 'in') return condition.value.some((element) => sameScalar(field, element, rules))
  const op = rules.operator(condition.op)
  if (op === 'eq') return sameScalar(field, condition.value, rules)
  // The value is a scalar, so a field of the same JSON type is one too.
  if (op === 'ne') return (rules.coercesTypes || jsonType(field) === jsonType(condition.value)) && !sameScalar(field, condition.value, rules)
  const order = compare(field, condition.value, rules)
  if (order === undefined) return false
  if (op === 'gt') return order > 0
  if (op === 'gte') return order >= 0
  if (op === 'lt') return order < 0
  return order <= 0
}

/** PERM-003: `{owner: true}` holds exactly when the record's owner is the caller's id. */
export function filterHolds(filter: Filter, record: RecordFields, caller: Caller, rules: Rules = CONTRACT_RULES): boolean {
  if ('owner' in filter) return rules.ownerHolds(record, caller)
  return conditionHolds(filter, record, rules)
}

/** PERM-004: a policy applies to a subject named directly or to a user through a namespace. */
export function appliesTo(policy: Policy, caller: Caller, rules: Rules = CONTRACT_RULES): boolean {
  return policy.subjects.some(
    (subject) =>
      (subject.type === caller.type && subject.id === caller.id) || (subject.type === 'namespace' && rules.namespaceApplies(subject.id, caller)),
  )
}

/** The caller's policies that grant `action` on `dataset`, whatever their filters. */
export function grantingPolicies(policies: readonly Policy[], caller: Caller, dataset: string, action: Action, rules: Rules = CONTRACT_RULES): Policy[] {
  return policies.filter(
    (policy) => appliesTo(policy, caller, rules) && policy.resources.includes(dataset) && rules.actionGranted(policy.actions, action),
  )
}

/** PERM-002: whether one policy's filters admit the record. */
function policyAdmits(policy: Policy, record: RecordFields, caller: Caller, rules: Rules): boolean {
  return rules.combineFilters(policy.filters.map((filter) => filterHolds(filter, record, caller, rules)))
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
  rules: Rules = CONTRACT_RULES,
): { allowed: boolean; matched_policies: string[] } {
  const granting = grantingPolicies(policies, caller, dataset, action, rules)
  if (record === undefined) return { allowed: granting.length > 0, matched_policies: granting.map((policy) => policy.id) }
  const admits = granting.map((policy) => policyAdmits(policy, record, caller, rules))
  const matched = rules.matchedByFilters ? granting.filter((_, index) => admits[index]) : granting
  return { allowed: granting.length > 0 && rules.combinePolicies(admits), matched_policies: matched.map((policy) => policy.id) }
}

/** PERM-007: the records a list must return — exactly those some read policy admits. */
export function readableRecords<R extends RecordFields>(policies: readonly Policy[], caller: Caller, dataset: string, records: readonly R[], rules: Rules = CONTRACT_RULES): R[] {
  if (!rules.listFilters) return grantingPolicies(policies, caller, dataset, 'read', rules).length > 0 ? [...records] : []
  return records.filter((record) => check(policies, caller, dataset, 'read', record, rules).allowed)
}

/** Whether the filters of the granting policies admit the record for the action (some write variants skip them). */
function admitted(policies: readonly Policy[], caller: Caller, dataset: string, action: Action, record: RecordFields, checksRecord: boolean, rules: Rules): boolean {
  return !checksRecord || check(policies, caller, dataset, action, record, rules).allowed
}

/** PERM-011: can the caller read the record (decides 403 against 404)? */
function canRead(policies: readonly Policy[], caller: Caller, dataset: string, record: RecordFields, rules: Rules): boolean {
  return check(policies, caller, dataset, 'read', record, rules).allowed
}

/**
 * PERM-010/PERM-011 (and PERM-017 for delete): the status a single-record request must
 * get when it is refused, or 'allowed'. Reading a record the caller may not read is 404
 * (nonexistent or hidden).
 */
export function recordDecision(
  policies: readonly Policy[],
  caller: Caller,
  dataset: string,
  action: Exclude<Action, 'create'>,
  record: RecordFields,
  rules: Rules = CONTRACT_RULES,
): 'allowed' | Refusal {
  if (grantingPolicies(policies, caller, dataset, action, rules).length === 0) return 403
  const checksRecord = action === 'delete' ? rules.deleteChecksRecord : action === 'update' ? rules.updateChecksStored : true
  if (admitted(policies, caller, dataset, action, record, checksRecord, rules)) return 'allowed'
  return rules.refusal(canRead(policies, caller, dataset, record, rules))
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
  rules: Rules = CONTRACT_RULES,
): 'allowed' | Refusal {
  const before = recordDecision(policies, caller, dataset, 'update', stored, rules)
  if (before !== 'allowed') return before
  if (admitted(policies, caller, dataset, 'update', result, rules.updateChecksResult, rules)) return 'allowed'
  return rules.resultRefusalHides ? rules.refusal(canRead(policies, caller, dataset, stored, rules)) : 403
}

/** PERM-008: a create is allowed when some create policy admits the new record (owner = the caller). */
export function createAllowed(policies: readonly Policy[], caller: Caller, dataset: string, fields: RecordFields, rules: Rules = CONTRACT_RULES): boolean {
  if (grantingPolicies(policies, caller, dataset, 'create', rules).length === 0) return false
  return admitted(policies, caller, dataset, 'create', { ...fields, owner: caller.id }, rules.createChecksRecord, rules)
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
