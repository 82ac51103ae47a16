/**
 * Role grants: what decides data access under semantics `permissions: roles` (Machinable's
 * "Role & Access"). Each user and key holds one grant — read (get, list) and/or write
 * (create, update, delete) on every dataset, over the records it owns (scope `own`,
 * Machinable's role "user") or over all records (scope `all`, "administrator"). Without a
 * grant a subject may do nothing.
 *
 * A grant decides through the same evaluator as policies: it is one policy, the owner filter
 * for scope own and no filter for scope all. The three lists a caller can get (nothing, own
 * records, all records) are made once, frozen, and shared by every caller, so the compiled
 * admitter and the 403/404 rule apply unchanged.
 */
import type { Action, Policy, PrincipalSubject, Subject } from './contract.ts'
import type { Internals } from './context.ts'
import { InvalidRequestError, NotFoundError } from './errors.ts'

export interface RoleGrant {
  /** own: the records the subject created (Machinable's role user); all: every record (administrator). */
  scope: 'own' | 'all'
  /** Get and list. */
  read: boolean
  /** Create, update and delete. */
  write: boolean
}

export type Roles = ReturnType<typeof createRoles>

const NO_GRANT: RoleGrant = Object.freeze({ scope: 'own', read: false, write: false })
const WRITE_ACTIONS: readonly Action[] = ['create', 'update', 'delete']

function grantPolicy(id: string, scope: RoleGrant['scope']): readonly Policy[] {
  const policy: Policy = {
    id,
    description: scope === 'own' ? 'Role grant: the records the subject created' : 'Role grant: all records',
    subjects: [],
    resources: [],
    actions: [],
    filters: scope === 'own' ? [Object.freeze({ owner: true as const })] : [],
  }
  Object.freeze(policy.subjects)
  Object.freeze(policy.resources)
  Object.freeze(policy.actions)
  Object.freeze(policy.filters)
  return Object.freeze([Object.freeze(policy)])
}

const GRANTING: Readonly<Record<RoleGrant['scope'], readonly Policy[]>> = {
  own: grantPolicy('pol_roleGrantOwnRecords0', 'own'),
  all: grantPolicy('pol_roleGrantAllRecords0', 'all'),
}
const NOTHING: readonly Policy[] = Object.freeze([])

function actionsOf(grant: RoleGrant): Action[] {
  return [...(grant.read ? (['read'] as const) : []), ...(grant.write ? WRITE_ACTIONS : [])]
}

/** The shape checks for callers that bring a grant from outside (fixtures, set-up). */
export function checkRoleGrant(grant: unknown): RoleGrant {
  const raw = grant as Partial<Record<keyof RoleGrant, unknown>> | null
  const problem =
    typeof raw !== 'object' || raw === null
      ? 'a role grant is an object {scope, read, write}'
      : raw.scope !== 'own' && raw.scope !== 'all'
        ? 'scope must be own or all'
        : typeof raw.read !== 'boolean' || typeof raw.write !== 'boolean'
          ? 'read and write must be true or false'
          : undefined
  if (problem !== undefined) throw new InvalidRequestError(`${problem}.`, [{ in: 'body', path: '/grant', message: problem }])
  const { scope, read, write } = raw as RoleGrant
  return { scope, read, write }
}

export function createRoles({ store }: Internals) {
  function grantOf(subject: PrincipalSubject | Subject): RoleGrant {
    if (subject.type === 'user') return store.users.get(subject.id)?.grant ?? NO_GRANT
    if (subject.type === 'api_key') return store.keys.get(subject.id)?.grant ?? NO_GRANT
    return NO_GRANT
  }

  return {
    grantOf,

    /** The granting list for an action: nothing, or the one policy of the subject's scope. */
    granting(subject: PrincipalSubject | Subject, action: Action): readonly Policy[] {
      const grant = grantOf(subject)
      return actionsOf(grant).includes(action) ? GRANTING[grant.scope] : NOTHING
    },

    /** The grant as the one policy it stands for, naming the subject, the datasets and the actions (for /me). */
    effective(subject: PrincipalSubject): Policy[] {
      const grant = grantOf(subject)
      const actions = actionsOf(grant)
      if (actions.length === 0) return []
      const [policy] = GRANTING[grant.scope]
      return [{ ...structuredClone(policy!), subjects: [{ ...subject }], resources: [...store.datasets.values()].map((d) => d.name), actions }]
    },

    /** Gives a user or key its grant (set-up and fixtures; the systems with roles manage them in a dashboard). */
    set(subject: PrincipalSubject, grant: RoleGrant): void {
      const checked = checkRoleGrant(grant)
      if (subject.type === 'user') {
        const user = store.users.get(subject.id)
        if (user === undefined) throw new NotFoundError('No such user.')
        user.grant = checked
        store.users.put(user)
      } else {
        const key = store.keys.get(subject.id)
        if (key === undefined) throw new NotFoundError('No such key.')
        key.grant = checked
        store.keys.put(key)
      }
    },
  }
}
