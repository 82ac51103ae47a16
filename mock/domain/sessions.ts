/**
 * Sessions: the unit of refresh and revocation. A session is opened by every exchange or
 * sign-in and ended (not forgotten) by revocation, so its tokens answer token_revoked until
 * the sweep purges it after every token of it has expired.
 */
import type { PrincipalSubject, Session } from './contract.ts'
import { iso, type Internals } from './context.ts'
import { NotFoundError } from './errors.ts'
import { newId } from './secrets.ts'
import type { StoredSession } from '../store/store.ts'
import type { Principal } from './types.ts'

export type Sessions = ReturnType<typeof createSessions>

export function subjectKey(subject: PrincipalSubject): string {
  return `${subject.type}:${subject.id}`
}

export function createSessions({ clock, store, seams }: Internals) {
  /** A key that exists and has not expired; a user that exists and is active. */
  function subjectLive(subject: PrincipalSubject): boolean {
    if (subject.type === 'api_key') {
      const key = store.keys.get(subject.id)
      return key !== undefined && (key.expiresAt === null || !seams.expired(key.expiresAt, clock.now()))
    }
    const user = store.users.get(subject.id)
    return user !== undefined && seams.userActive(user)
  }

  /** The expiry cap of every token of a subject (its key's expires_at), or null. */
  function keyExpiry(subject: PrincipalSubject): number | null {
    return subject.type === 'api_key' ? (store.keys.get(subject.id)?.expiresAt ?? null) : null
  }

  function open(subject: PrincipalSubject): StoredSession {
    const now = clock.now()
    const session: StoredSession = { id: newId('ses'), subject, createdAt: now, refreshExpiresAt: now, accessExpiresAt: now, endedAt: null }
    store.sessions.put(session)
    return session
  }

  function end(session: StoredSession): void {
    if (session.endedAt !== null) return
    session.endedAt = clock.now()
    store.sessions.put(session)
  }

  function endAllOf(subject: PrincipalSubject): void {
    for (const session of store.sessions.lookup('subject', subjectKey(subject))) end(session)
  }

  /** Not ended, and some token of it can still be used. */
  function isLive(session: StoredSession): boolean {
    const now = clock.now()
    return session.endedAt === null && !(seams.expired(session.refreshExpiresAt, now) && seams.expired(session.accessExpiresAt, now))
  }

  function toSession(session: StoredSession, currentId: string | undefined): Session {
    return {
      id: session.id,
      subject: { ...session.subject },
      created_at: iso(session.createdAt),
      // When its last token expires: the refresh token's expiry, or the access token's under refresh none.
      expires_at: iso(Math.max(session.refreshExpiresAt, session.accessExpiresAt)),
      current: session.id === currentId,
    }
  }

  return {
    subjectLive,
    keyExpiry,
    open,
    end,
    endAllOf,

    /** The caller's live sessions in creation order. */
    list(principal: Principal): Session[] {
      return store.sessions
        .lookup('subject', subjectKey(principal.subject))
        .filter(isLive)
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((session) => toSession(session, principal.sessionId))
    },

    /** Ends one of the caller's sessions (admins: anyone's); otherwise the session "does not exist". */
    endFor(principal: Principal, id: string): void {
      const targetId = id === 'current' ? principal.sessionId : id
      const session = targetId === undefined ? undefined : store.sessions.get(targetId)
      const mine = session !== undefined && subjectKey(session.subject) === subjectKey(principal.subject)
      if (session === undefined || session.endedAt !== null || !seams.mayEndSession({ own: mine, admin: principal.role === 'admin' })) {
        throw new NotFoundError('No such session.')
      }
      end(session)
    },
  }
}
