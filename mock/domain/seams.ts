/**
 * Named seams: the small decisions a realistic implementation can get wrong. Each has the
 * correct default here; the defect catalogue replaces one by name through
 * `DomainContext.seams`, and nothing else in the domain changes.
 */
import type { Action, PermissionDecision, Policy, PrincipalSubject, Subject } from './contract.ts'
import type { Millis } from '../store/store.ts'
import type { RateLimitScope, ResetScope } from './types.ts'

export type Denial = 'forbidden' | 'not_found'

export interface Seams {
  /** Filters within one policy: every filter must hold (AND). */
  combineFilters<F>(filters: readonly F[], holds: (filter: F) => boolean): boolean
  /** Policies: any admitting policy allows (OR). */
  combinePolicies<P>(policies: readonly P[], admits: (policy: P) => boolean): boolean
  /** `{owner: true}`: the record's owner is the caller. */
  ownerHolds(record: { readonly [field: string]: unknown }, callerId: string): boolean
  /** Subject keys whose policies apply: the subject itself plus, for users, each namespace. */
  subjectKeys(subject: PrincipalSubject | Subject, namespaces: readonly string[]): string[]
  /** What a condition on a field the record lacks evaluates to (false for every operator). */
  missingFieldHolds(op: string): boolean
  /** Listing: a stored record is listed only when the granting policies admit it. */
  listIncludes(admits: () => boolean): boolean
  /** Whether a policy naming `actions` grants `action`: exactly when it names it. */
  actionGranted(actions: readonly Action[], action: Action): boolean
  /** A signed-in user's namespaces for a request: read afresh each time, so a change reaches held tokens. */
  callerNamespaces(request: { sessionId: string; current: () => string[] }): string[]
  /** An update whose result no update policy admits is refused by the 403/404 rule on the stored record (null: a plain 403, as for a create). */
  updateRefusalJudgedOn<R>(stored: R): R | null
  /** The policies in force for a request: loaded afresh each time, so policy changes apply at once. */
  effectivePolicies(request: { sessionId: string | undefined; load: () => readonly Policy[] }): readonly Policy[]
  /** Management operations (keys, users, policies, datasets, check): admin keys only. */
  mayManage(principal: { role: string }): boolean
  /** Ending a session by id: one's own, or any as admin; others' sessions "do not exist". */
  mayEndSession(request: { own: boolean; admin: boolean }): boolean
  /**
   * A permission check's answer: what the policies decide (`evaluate`) for a subject that
   * exists, nothing for one that does not; the subject's role (admin) plays no part.
   */
  checkDecision(subject: { exists: boolean; role: string | undefined }, evaluate: () => PermissionDecision): PermissionDecision
  /** The answer when a policy grants the action but no granting policy admits the record. */
  denial(canRead: boolean): Denial
  /** The access token lifetime actually used, from the configured one (seconds). */
  accessTokenTtl(configuredSeconds: number): number
  /** The `expires_in` of a token response: the access token's real lifetime, exp − iat. */
  expiresIn(token: { iat: number; exp: number; configuredSeconds: number }): number
  /** Caps a token expiry at the key's expiry: no token outlives its key. */
  capByKeyExpiry(expiresAt: Millis, keyExpiresAt: Millis | null): Millis
  /**
   * Whether something that expires at `expiresAt` (a token's exp, a key's expires_at) has
   * expired at `now`: on or after that instant (RFC 7519 §4.1.4), never only after it.
   */
  expired(expiresAt: Millis, now: Millis): boolean
  /** When a refresh token issued at `issuedAt` (the whole second of its access token's iat) expires, before the key cap. */
  refreshExpiresAt(issuedAt: Millis, ttlSeconds: number): Millis
  /** Refresh rotation: kill the presented token and hand out a new one. Returns the token to answer. */
  rotateRefresh(step: { presented: string; markUsed: () => void; issueNext: () => string }): string
  /** Reuse of a dead refresh token: end the whole session. */
  onRefreshReuse(step: { endSession: () => void }): void
  /** Whether an authentic, unexpired access token is still accepted. */
  accessTokenLive(state: { sessionLive: boolean; subjectLive: boolean; cacheHit: boolean }): boolean
  /** Whether a presented API key secret is accepted: exactly when it matches the key's current secret. */
  secretAccepted(attempt: { keyId: string; secret: string; matches: () => boolean }): boolean
  /** Key revocation: the key's sessions end. */
  onKeyRevoked(step: { endKeySessions: () => void }): void
  /** Key rotation: tokens issued under the old secret die. */
  invalidateOnRotate(step: { endKeySessions: () => void }): void
  /** User deactivation or deletion: the user's sessions end. */
  onUserDisabled(step: { endUserSessions: () => void }): void
  /** Whether a user may sign in and keep their sessions: the stored `active` flag. */
  userActive(user: { active: boolean }): boolean
  /** A failed sign-in counts towards the account's brute-force lock. */
  onSignInFailure(step: { countFailure: () => void }): void
  /** Whether a rate-limit window that has seen `count` hits refuses the next one. */
  windowExhausted(count: number, limit: number): boolean
  /** Whether a rate-limit window ending at `endsAt` is over at `now`: on or after its end. */
  windowEnded(now: Millis, endsAt: Millis): boolean
  /**
   * Whether merely checking a limit opens its window (a sign-in attempt checks the failure
   * lock before its outcome is known). By the contract only a counted hit does (ERR-011:
   * the failure window starts at the first failure).
   */
  windowOpensOnCheck(scope: RateLimitScope): boolean
  /** Whether a control reset of `scope` ends every session: all but a reset of rate limits (DISC-006). */
  resetEndsSessions(scope: ResetScope): boolean
  /** The jwks_uri discovery announces: the JWKS path on the issuer's own origin. */
  jwksUri(issuer: string): string
  /** How a presented JWT is checked: full verification (signature, alg, kid, iss, exp, nbf). */
  checkAccessToken<C>(token: string, ways: { verify: (token: string) => Promise<C>; decodeUnverified: (token: string) => C }): Promise<C>
}

export const defaultSeams: Seams = {
  combineFilters: (filters, holds) => filters.every(holds),
  combinePolicies: (policies, admits) => policies.some(admits),
  ownerHolds: (record, callerId) => record['owner'] === callerId,
  subjectKeys: (subject, namespaces) =>
    subject.type === 'user'
      ? [`user:${subject.id}`, ...namespaces.map((namespace) => `namespace:${namespace}`)]
      : [`${subject.type}:${subject.id}`],
  missingFieldHolds: () => false,
  listIncludes: (admits) => admits(),
  actionGranted: (actions, action) => actions.includes(action),
  callerNamespaces: ({ current }) => current(),
  updateRefusalJudgedOn: (stored) => stored,
  effectivePolicies: ({ load }) => load(),
  mayManage: (principal) => principal.role === 'admin',
  mayEndSession: ({ own, admin }) => own || admin,
  checkDecision: (subject, evaluate) => (subject.exists ? evaluate() : { allowed: false, matched_policies: [] }),
  denial: (canRead) => (canRead ? 'forbidden' : 'not_found'),
  accessTokenTtl: (configuredSeconds) => configuredSeconds,
  expiresIn: ({ iat, exp }) => exp - iat,
  capByKeyExpiry: (expiresAt, keyExpiresAt) => (keyExpiresAt === null ? expiresAt : Math.min(expiresAt, keyExpiresAt)),
  expired: (expiresAt, now) => now >= expiresAt,
  refreshExpiresAt: (issuedAt, ttlSeconds) => issuedAt + ttlSeconds * 1000,
  rotateRefresh: ({ markUsed, issueNext }) => {
    markUsed()
    return issueNext()
  },
  onRefreshReuse: ({ endSession }) => endSession(),
  accessTokenLive: ({ sessionLive, subjectLive }) => sessionLive && subjectLive,
  secretAccepted: ({ matches }) => matches(),
  onKeyRevoked: ({ endKeySessions }) => endKeySessions(),
  invalidateOnRotate: ({ endKeySessions }) => endKeySessions(),
  onUserDisabled: ({ endUserSessions }) => endUserSessions(),
  userActive: (user) => user.active,
  onSignInFailure: ({ countFailure }) => countFailure(),
  windowExhausted: (count, limit) => count >= limit,
  windowEnded: (now, endsAt) => now >= endsAt,
  windowOpensOnCheck: () => false,
  resetEndsSessions: (scope) => scope !== 'rate_limits',
  jwksUri: (issuer) => `${issuer}/.well-known/jwks.json`,
  checkAccessToken: (token, { verify }) => verify(token),
}

export function resolveSeams(overrides: Partial<Seams> = {}): Seams {
  return { ...defaultSeams, ...overrides }
}
