/**
 * Authorization decisions for data requests: which policies grant an action, whether a
 * record is admitted, and the 403-vs-404 rule. Admins bypass policies at the data endpoints;
 * the check endpoint and the effective-policy view show the policies alone, through the
 * same evaluator.
 */
import type { Action, PermissionCheck, PermissionDecision, PermissionsMe, Policy } from './contract.ts'
import type { Internals } from './context.ts'
import { ForbiddenError, NotFoundError } from './errors.ts'
import { admitter, evaluate, grantingPolicies, type RecordFields } from './evaluator.ts'
import { compiledAdmitter, compilesUnder } from './policy-compiler.ts'
import type { Policies } from './policies.ts'
import type { Roles } from './roles.ts'
import { defaultSeams } from './seams.ts'
import type { Principal } from './types.ts'

export type Permissions = ReturnType<typeof createPermissions>

export function createPermissions({ store, seams, config }: Internals, policies: Policies, roles: Roles) {
  /** Semantics permissions roles: each subject's role grant decides, not policies (roles.ts). */
  const byRoles = config.semantics.permissions === 'roles'
  /**
   * The granting subsets of frozen effective-policy lists (the policies module keeps those
   * until a policy changes, then makes new ones): "dataset action" → granting policies.
   */
  const grantingOf = new WeakMap<readonly Policy[], Map<string, readonly Policy[]>>()
  /** With the default rules, policies decide compiled; replaced ones (defects) interpreted. */
  const compiled = compilesUnder(seams)
  const defaultEffective = seams.effectivePolicies === defaultSeams.effectivePolicies

  /** The policies applying to the caller, directly or through a namespace. */
  function effective(principal: Principal): readonly Policy[] {
    // The default seam is `load()`: called directly, no closure and request object are made
    // on every request (each closure also cost an esbuild __name call under tsx).
    if (defaultEffective) return policies.applicableTo(principal.subject, principal.namespaces)
    return seams.effectivePolicies({
      sessionId: principal.sessionId,
      load: () => policies.applicableTo(principal.subject, principal.namespaces),
    })
  }

  function granting(principal: Principal, dataset: string, action: Action): readonly Policy[] {
    if (byRoles) return roles.granting(principal.subject, action)
    const applying = effective(principal)
    // A list that may still change (a seam's own) is filtered afresh every time.
    if (!Object.isFrozen(applying)) return grantingPolicies(applying, dataset, action, seams)
    let subsets = grantingOf.get(applying)
    if (subsets === undefined) grantingOf.set(applying, (subsets = new Map()))
    const key = `${dataset} ${action}`
    let granted = subsets.get(key)
    if (granted === undefined) subsets.set(key, (granted = Object.freeze(grantingPolicies(applying, dataset, action, seams))))
    return granted
  }

  function admitterOf(principal: Principal, granted: readonly Policy[]): (record: RecordFields) => boolean {
    return compiled ? compiledAdmitter(granted, principal.subject.id) : admitter(granted, principal.subject.id, seams)
  }

  function admits(principal: Principal, granted: readonly Policy[], record: RecordFields): boolean {
    return admitterOf(principal, granted)(record)
  }

  /** The refusal for a granted action whose filters do not admit `record`. */
  function denial(principal: Principal, dataset: string, record: RecordFields): Error {
    const canRead = admits(principal, granting(principal, dataset, 'read'), record)
    return seams.denial(canRead) === 'forbidden' ? new ForbiddenError() : new NotFoundError('No such record.')
  }

  /** The granting policies (frozen while they decide, see `granting`); null for an admin (bypass). */
  function granted(principal: Principal, dataset: string, action: Action): readonly Policy[] | null {
    return principal.role === 'admin' ? null : granting(principal, dataset, action)
  }

  return {
    /**
     * Whether a decision is a function of the frozen granting list, the caller's id and the
     * record alone: the default rules, compiled, and the default effective policies (a
     * defect's replacement may decide otherwise, or differently each time).
     */
    decidesByGrantingList: compiled && defaultEffective,

    isAdmin: (principal: Principal): boolean => principal.role === 'admin',

    requireAdmin(principal: Principal): void {
      if (!seams.mayManage(principal)) throw new ForbiddenError('This operation needs an admin key.')
    },

    /** Does any policy grant the action on the dataset (before filters)? */
    grants: (principal: Principal, dataset: string, action: Action): boolean =>
      principal.role === 'admin' || granting(principal, dataset, action).length > 0,

    granted,

    /** The granting policies, or ForbiddenError when none grants the action at all. Admin: null (bypass). */
    requireGrant(principal: Principal, dataset: string, action: Action, policies = granted(principal, dataset, action)): readonly Policy[] | null {
      if (policies !== null && policies.length === 0) throw new ForbiddenError(`No policy grants ${action} on ${dataset}.`)
      return policies
    },

    /** Is `record` admitted by the granted policies (null = admin bypass)? */
    admits: (principal: Principal, granted: readonly Policy[] | null, record: RecordFields): boolean =>
      granted === null || admits(principal, granted, record),

    /** `admits` for many records of one request (a list). */
    admitter(principal: Principal, granted: readonly Policy[] | null): (record: RecordFields) => boolean {
      return granted === null ? () => true : admitterOf(principal, granted)
    },

    /**
     * Throws unless the granted policies admit `record`: the 403/404 refusal judged on the
     * stored record `judgedBy` (default: `record` itself), or plain 403 when there is no stored
     * record to hide (create).
     */
    requireAdmitted(principal: Principal, dataset: string, granted: readonly Policy[] | null, record: RecordFields, judgedBy: RecordFields | null = record): void {
      if (granted === null || admits(principal, granted, record)) return
      throw judgedBy === null ? new ForbiddenError('No policy admits this record.') : denial(principal, dataset, judgedBy)
    },

    me: (principal: Principal): PermissionsMe => ({
      subject: { ...principal.subject },
      role: principal.role,
      namespaces: [...principal.namespaces],
      policies: byRoles ? roles.effective(principal.subject) : effective(principal).map((policy) => structuredClone(policy)),
    }),

    /**
     * The evaluator exposed (PERM-020): policies only — admin-ness and liveness are not
     * policies — for any subject. A user brings its current namespaces; a user or key that
     * does not exist (never created, deleted, a revoked key) is matched by no policy, even
     * one still naming its id; a namespace exists by being named.
     */
    check(input: PermissionCheck): PermissionDecision {
      const { subject } = input
      const user = subject.type === 'user' ? store.users.get(subject.id) : undefined
      const key = subject.type === 'api_key' ? store.keys.get(subject.id) : undefined
      const exists = subject.type === 'namespace' || user !== undefined || key !== undefined
      return seams.checkDecision({ exists, role: key?.role }, () => {
        const granted = byRoles ? roles.granting(subject, input.action) : grantingPolicies(policies.applicableTo(subject, user?.namespaces ?? []), input.dataset, input.action, seams)
        const { allowed, matched } = evaluate(granted, input.record, subject.id, seams)
        return { allowed, matched_policies: matched }
      })
    },
  }
}
