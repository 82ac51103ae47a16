// Defects of revocation: sessions, key revocation and rotation, user deactivation.
import { sha256Hex } from '../domain/secrets.ts'
import { defaultSeams } from '../domain/seams.ts'
import type { Defect } from './defect.ts'
import { skip } from './defect.ts'

export const revocationDefects: Defect[] = [
  {
    name: 'session-end-leaves-access-tokens',
    description: "ending a session (DELETE /v1/sessions, /v1/auth/revoke) stops refresh but not the session's access tokens",
    requirements: ['SESS-005', 'AUTH-009'],
    hooks: () => ({ domain: { accessTokenLive: ({ subjectLive }) => subjectLive } }),
  },
  {
    name: 'revocation-cached',
    description: 'verified access tokens are served from a cache that no revocation invalidates',
    requirements: ['AUTH-009', 'SESS-005', 'KEY-004'],
    hooks: () => ({ domain: { accessTokenLive: (state) => state.cacheHit || defaultSeams.accessTokenLive(state) } }),
  },
  {
    name: 'key-revocation-spares-live-tokens',
    description: "revoking a key blocks new exchanges but the key's live access tokens keep working",
    requirements: ['KEY-004'],
    hooks: () => ({ domain: { onKeyRevoked: skip, accessTokenLive: ({ sessionLive }) => sessionLive } }),
  },
  {
    name: 'rotate-keeps-old-secret',
    description: 'secrets that once verified are remembered, so the secret replaced by a rotation stays valid',
    requirements: ['KEY-005'],
    hooks: () => {
      const verified = new Set<string>()
      return {
        domain: {
          secretAccepted: ({ keyId, secret, matches }) => {
            const entry = `${keyId}:${sha256Hex(secret)}`
            if (verified.has(entry)) return true
            const accepted = matches()
            if (accepted) verified.add(entry)
            return accepted
          },
        },
      }
    },
  },
  {
    name: 'rotate-keeps-old-tokens',
    description: 'rotating a key replaces the secret but leaves the tokens issued before it alive',
    requirements: ['KEY-005'],
    hooks: () => ({ domain: { invalidateOnRotate: skip } }),
  },
  {
    name: 'foreign-sessions-endable',
    description: "any caller may end another subject's session by its id",
    requirements: ['SESS-006'],
    hooks: () => ({ domain: { mayEndSession: () => true } }),
  },
  {
    name: 'user-deactivation-ignored',
    description: '`active: false` is stored but never consulted: the user keeps signing in and their sessions live on',
    requirements: ['SESS-007'],
    hooks: () => ({ domain: { userActive: () => true, onUserDisabled: skip } }),
  },
]
