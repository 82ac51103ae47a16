// Defects of policy evaluation and enforcement (PERM-*).
import type { Policy } from '../domain/contract.ts'
import type { Defect } from './defect.ts'

export const permissionDefects: Defect[] = [
  {
    name: 'filters-or',
    description: "the filters of one policy are OR'd instead of AND'd",
    requirements: ['PERM-002'],
    hooks: () => ({ domain: { combineFilters: (filters, holds) => filters.length === 0 || filters.some(holds) } }),
  },
  {
    name: 'policies-and',
    description: "policies are AND'd instead of OR'd: every granting policy must admit the record",
    requirements: ['PERM-001'],
    hooks: () => ({ domain: { combinePolicies: (policies, admits) => policies.length > 0 && policies.every(admits) } }),
  },
  {
    name: 'owner-filter-ignored',
    description: '`{owner: true}` holds for every record, whoever owns it',
    requirements: ['PERM-003'],
    hooks: () => ({ domain: { ownerHolds: () => true } }),
  },
  {
    name: 'namespace-subjects-ignored',
    description: "policies naming a namespace never reach the namespace's members",
    requirements: ['PERM-004'],
    hooks: () => ({ domain: { subjectKeys: (subject) => [`${subject.type}:${subject.id}`] } }),
  },
  {
    name: 'missing-field-matches',
    description: 'a condition on a field the record lacks is treated as true',
    requirements: ['PERM-005'],
    hooks: () => ({ domain: { missingFieldHolds: () => true } }),
  },
  {
    name: 'list-ignores-filters',
    description: "listing returns every record of the dataset; only single reads check the policies' filters",
    requirements: ['PERM-007'],
    hooks: () => ({ domain: { listIncludes: () => true } }),
  },
  {
    name: 'policy-changes-cached',
    description: "a session's effective policies are computed once and kept until the next sign-in",
    requirements: ['PERM-012'],
    hooks: () => {
      const bySession = new Map<string, readonly Policy[]>()
      return {
        domain: {
          effectivePolicies: ({ sessionId, load }) => {
            if (sessionId === undefined) return load()
            const cached = bySession.get(sessionId) ?? load()
            bySession.set(sessionId, cached)
            return cached
          },
        },
      }
    },
  },
  {
    name: 'management-not-admin-only',
    description: 'management operations check that the caller is authenticated, not that it is an admin',
    requirements: ['KEY-008', 'PERM-013'],
    hooks: () => ({ domain: { mayManage: () => true } }),
  },
  {
    name: 'namespace-change-ignored',
    description: "a user's namespaces are read once per session: a change of them does not reach the tokens the user already holds",
    requirements: ['PERM-004', 'PERM-014'],
    hooks: () => {
      const bySession = new Map<string, string[]>()
      return {
        domain: {
          callerNamespaces: ({ sessionId, current }) => {
            const remembered = bySession.get(sessionId) ?? current()
            bySession.set(sessionId, remembered)
            return [...remembered]
          },
        },
      }
    },
  },
  {
    name: 'update-grants-delete',
    description: 'a policy granting update is taken to grant delete as well (writing includes removing)',
    requirements: ['PERM-010', 'PERM-017'],
    hooks: () => ({
      domain: { actionGranted: (actions, action) => actions.includes(action) || (action === 'delete' && actions.includes('update')) },
    }),
  },
  {
    name: 'refused-patch-leaks-existence',
    description: 'an update refused because of its result is 403 even when the caller cannot read the record (only the stored-record check hides it)',
    requirements: ['PERM-011'],
    hooks: () => ({ domain: { updateRefusalJudgedOn: () => null } }),
  },
  {
    name: 'existence-leaked',
    description: 'the 404-vs-403 rule is inverted: unreadable records answer 403, readable ones 404',
    requirements: ['PERM-011'],
    hooks: () => ({ domain: { denial: (canRead) => (canRead ? 'not_found' : 'forbidden') } }),
  },
]
