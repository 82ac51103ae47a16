// Defects at the edges the contract states exactly: the expiry second, the end of a
// rate-limit window, where the failed-sign-in window starts, edge subjects of the
// evaluator, and what a reset does to live sessions.
import { defaultSeams } from '../domain/seams.ts'
import type { Defect } from './defect.ts'

export const boundaryDefects: Defect[] = [
  {
    name: 'exp-inclusive',
    description: 'tokens and keys are expired only after their expiry second (exp < now, not exp ≤ now): accepted at exactly exp',
    requirements: ['AUTH-004', 'AUTH-005', 'KEY-006', 'KEY-007'],
    hooks: () => ({ domain: { expired: (expiresAt, now) => Math.floor(now / 1000) > Math.floor(expiresAt / 1000) } }),
  },
  {
    name: 'window-end-exclusive',
    description: 'a rate-limit window still refuses in the second it ends: the request exactly Retry-After seconds after a 429 is refused again',
    requirements: ['DISC-005', 'ERR-010', 'ERR-011'],
    hooks: () => ({ domain: { windowEnded: (now, endsAt) => Math.floor(now / 1000) > Math.floor(endsAt / 1000) } }),
  },
  {
    name: 'failure-window-from-first-signin',
    description: "the failed-sign-in window opens at the account's first sign-in attempt, not its first failure: failures just before that window ends lock the account only until then",
    requirements: ['ERR-011'],
    hooks: () => ({ domain: { windowOpensOnCheck: (scope) => scope === 'signin_failures' } }),
  },
  {
    name: 'check-admits-admin-keys',
    description: '/v1/permissions/check answers allowed (with no matched policy) for an admin key subject, as if admin-ness were a policy',
    requirements: ['PERM-020'],
    hooks: () => ({
      domain: {
        checkDecision: (subject, evaluate) =>
          subject.role === 'admin' ? { allowed: true, matched_policies: [] } : defaultSeams.checkDecision(subject, evaluate),
      },
    }),
  },
  {
    name: 'check-unknown-subject-errors',
    description: '/v1/permissions/check reads the namespaces of a user or key that does not exist and fails with 500',
    requirements: ['PERM-020', 'ERR-017'],
    hooks: () => ({
      domain: {
        checkDecision: (subject, evaluate) => {
          if (!subject.exists) throw new TypeError("Cannot read properties of undefined (reading 'namespaces')")
          return evaluate()
        },
      },
    }),
  },
  {
    name: 'namespace-id-collision',
    description: "policy subjects are matched by id alone: a namespace named like a key or user id applies to that key or user, and the reverse",
    requirements: ['PERM-021'],
    hooks: () => ({
      domain: {
        subjectKeys: (subject, namespaces) =>
          [subject.id, ...namespaces].flatMap((id) => [`api_key:${id}`, `user:${id}`, `namespace:${id}`]),
      },
    }),
  },
  {
    name: 'reset-keeps-sessions',
    description: 'a control reset of data, the clock or everything leaves live sessions alone: tokens issued before it keep working',
    requirements: ['DISC-006'],
    hooks: () => ({ domain: { resetEndsSessions: (scope) => scope === 'sessions' } }),
  },
]
