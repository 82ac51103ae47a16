/**
 * Policy management (admin) and lookup by subject. Policies are indexed by subject key
 * (`api_key:ID`, `user:ID`, `namespace:N`) so a caller's evaluation only touches the
 * policies that name it. The lookup's result is kept per set of subject keys while the
 * policy table's version stays the same: any change (a write, a reset) drops every kept
 * result, so changes apply from the next request on.
 */
import type { StoredPolicy } from '../store/store.ts'
import type { Filter, Policy, PolicyInput, PrincipalSubject, Subject } from './contract.ts'
import type { Internals } from './context.ts'
import { InvalidRequestError, NotFoundError, ConflictError } from './errors.ts'
import { isScalar } from './evaluator.ts'
import { newId } from './secrets.ts'

const OPERATORS = new Set(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in'])
const POLICY_ID_PATTERN = /^pol_[A-Za-z0-9]{16,}$/

function bodyError(path: string, message: string): InvalidRequestError {
  return new InvalidRequestError(message, [{ in: 'body', path, message }])
}

/** Semantic checks the schema may not express: value shape per operator, owner filter form. */
function checkFilter(filter: Filter, index: number): Filter {
  const path = `/filters/${index}`
  const raw = filter as unknown as Record<string, unknown>
  if ('owner' in raw) {
    if (raw['owner'] !== true || Object.keys(raw).length !== 1) throw bodyError(path, 'The owner filter is exactly {"owner": true}.')
    return { owner: true }
  }
  const { field, op, value } = raw
  if (typeof field !== 'string' || field.length === 0) throw bodyError(`${path}/field`, 'field must be a non-empty string.')
  if (typeof op !== 'string' || !OPERATORS.has(op)) throw bodyError(`${path}/op`, 'op must be one of eq ne gt gte lt lte in.')
  if (op === 'in' ? !(Array.isArray(value) && value.every(isScalar)) : !isScalar(value)) {
    throw bodyError(`${path}/value`, op === 'in' ? '`in` needs an array of scalar values.' : `\`${op}\` needs a scalar value.`)
  }
  return structuredClone({ field, op, value }) as Filter
}

const SUBJECT_TYPES = new Set(['api_key', 'user', 'namespace'])
const ACTIONS = new Set(['create', 'read', 'update', 'delete'])

/** The shape checks the HTTP layer's schema validation does, repeated for direct callers (fixtures). */
function checkShape(input: PolicyInput): void {
  const raw = input as unknown as Record<string, unknown>
  const subjects = raw['subjects']
  if (!Array.isArray(subjects) || !subjects.every((s) => SUBJECT_TYPES.has((s as Subject)?.type) && typeof (s as Subject).id === 'string' && (s as Subject).id !== '')) {
    throw bodyError('/subjects', 'subjects must be an array of {type: api_key|user|namespace, id}.')
  }
  if (!Array.isArray(raw['resources']) || !raw['resources'].every((r) => typeof r === 'string')) throw bodyError('/resources', 'resources must be an array of dataset names.')
  if (!Array.isArray(raw['actions']) || !raw['actions'].every((a) => ACTIONS.has(a as string))) throw bodyError('/actions', 'actions must be an array of create|read|update|delete.')
  if (raw['filters'] !== undefined && !Array.isArray(raw['filters'])) throw bodyError('/filters', 'filters must be an array.')
  if (raw['description'] !== undefined && typeof raw['description'] !== 'string') throw bodyError('/description', 'description must be a string.')
}

/** Freezes a JSON value and everything in it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}

/**
 * The stored form, frozen all through: a stored policy is replaced, never changed, so the
 * evaluator may keep what it derives from one (its filters as tests) for as long as it lives.
 */
function normalize(id: string, input: PolicyInput): Policy {
  checkShape(input)
  return deepFreeze({
    id,
    description: input.description ?? '',
    subjects: input.subjects.map((subject) => ({ type: subject.type, id: subject.id })),
    resources: [...input.resources],
    actions: [...input.actions],
    filters: (input.filters ?? []).map(checkFilter),
  })
}

/** Kept lookups (one per caller seen since the last change); beyond this many, start over. */
const MAX_KEPT_LOOKUPS = 10_000

export function createPolicies({ store, seams }: Internals) {
  /** Subject keys (joined) → the policies applying to them, frozen: shared by every request. */
  const applicable = new Map<string, readonly Policy[]>()
  /** The policy table's version the kept lookups were made at. */
  let keptAt = -1

  function find(id: string): StoredPolicy {
    const entry = store.policies.get(id)
    if (entry === undefined) throw new NotFoundError('No such policy.')
    return entry
  }

  return {
    create(input: PolicyInput, options: { id?: string } = {}): Policy {
      const id = options.id ?? newId('pol')
      if (!POLICY_ID_PATTERN.test(id)) throw bodyError('/id', `policy id must match ${POLICY_ID_PATTERN.source}.`)
      if (store.policies.get(id) !== undefined) throw new ConflictError(`Policy ${id} already exists.`)
      const policy = normalize(id, input)
      store.policies.put({ seq: store.nextSeq(), policy })
      return structuredClone(policy)
    },

    list: (): Policy[] => [...store.policies.values()].sort((a, b) => a.seq - b.seq).map((entry) => structuredClone(entry.policy)),

    get: (id: string): Policy => structuredClone(find(id).policy),

    /** PUT: full replacement, keeping the policy's place in creation order. */
    replace(id: string, input: PolicyInput): Policy {
      const { seq } = find(id)
      const policy = normalize(id, input)
      store.policies.put({ seq, policy })
      return structuredClone(policy)
    },

    delete(id: string): void {
      find(id)
      store.policies.delete(id)
    },

    /**
     * The policies that apply to a subject (directly or through its namespaces), in creation
     * order. Not copied: a frozen list, the same one for every request until a policy changes.
     */
    applicableTo(subject: PrincipalSubject | Subject, namespaces: readonly string[]): readonly Policy[] {
      if (store.policies.version !== keptAt) {
        applicable.clear()
        keptAt = store.policies.version
      }
      const keys = seams.subjectKeys(subject, namespaces)
      const lookupKey = keys.join('\u0000')
      const kept = applicable.get(lookupKey)
      if (kept !== undefined) return kept
      const found = new Map<string, StoredPolicy>()
      for (const key of keys) {
        for (const entry of store.policies.lookup('subject', key)) found.set(entry.policy.id, entry)
      }
      const policies = Object.freeze([...found.values()].sort((a, b) => a.seq - b.seq).map((entry) => entry.policy))
      if (applicable.size >= MAX_KEPT_LOOKUPS) applicable.clear()
      applicable.set(lookupKey, policies)
      return policies
    },
  }
}

export type Policies = ReturnType<typeof createPolicies>
