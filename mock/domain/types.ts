/**
 * The domain's public shape: context, principals, credentials and the facade interface
 * that the HTTP layer and the fixtures loader call. Names here are stable.
 */
import type { Clock } from '../clock.ts'
import type { Store } from '../store/store.ts'
import type {
  Action, CreatedKey, DataRecord, Dataset, Discovery, Feature, Jwks, Key, KeyInput,
  PermissionCheck, PermissionDecision, PermissionsMe, Policy, PolicyInput, PrincipalSubject,
  RecordPage, Role, Session, TokenResponse, User, UserInput, UserPatch,
} from './contract.ts'
import type { RoleGrant } from './roles.ts'
import type { RateWindows } from './rate-limiter.ts'
import type { Seams } from './seams.ts'
import type { Semantics } from './semantics.ts'

/** What the domain answers at once when nothing must be awaited (in-memory state), else later (a shared store). */
export type MaybePromise<T> = T | Promise<T>

/** A list of a dataset's records: its caller, and its page (limit, and the cursor of a later page). */
export interface ListRecordsInput {
  principal: Principal
  dataset: string
  limit?: number
  cursor?: string | null
}

export type RateLimitScope = 'token' | 'signin' | 'signin_failures' | 'data'
export type RateLimitPer = 'credential' | 'address' | 'account' | 'subject'

export interface RateLimitConfig {
  scope: RateLimitScope
  per: RateLimitPer
  limit: number
  windowSeconds: number
}

export interface DomainConfig {
  /** Base URL; `iss` of every token and prefix of jwks_uri/token_endpoint. */
  issuer: string
  /** Access token lifetime, seconds. */
  accessTokenTtl: number
  /** Refresh token lifetime from its own issue, seconds. */
  refreshTokenTtl: number
  rateLimits: RateLimitConfig[]
  features: Feature[]
  /** Ed25519 signing key as a private JWK (with `kid`); generated per instance when absent. */
  signingKey?: { privateJwk: JsonWebKeyInput; kid: string }
  /** scrypt cost N (power of two); lower only in tests. Default 16384. */
  passwordHashCost?: number
  /** Max entries of the verified-token cache. Default 10 000. */
  tokenCacheSize?: number
  /** How long expired sessions/refresh tokens are kept (so they answer token_expired, not invalid_token). Default 86 400 s. */
  retentionSeconds?: number
  /** Sweep expired state every this many operations (also after each clock change). Default 1000. */
  sweepEvery?: number
  /** Where the system differs from the contract (semantics.ts); each option missing is the contract's behaviour. */
  semantics?: Partial<Semantics>
}

/** A private OKP JWK as jose/node accept it. */
export interface JsonWebKeyInput { kty: string; crv?: string; x?: string; d?: string; [k: string]: unknown }

export interface DomainContext {
  clock: Clock
  store: Store
  config: DomainConfig
  /** Replacement implementations of named seams (the defect catalogue's hook). */
  seams?: Partial<Seams>
  /** Where rate-limit windows are counted; default: this process's memory. */
  rateWindows?: RateWindows
}

/** Who is calling, once authenticated. */
export interface Principal {
  subject: PrincipalSubject
  role: Role
  namespaces: string[]
  /** Present when authenticated by a bearer token: the token's session (`sid`). */
  sessionId?: string
}

/**
 * A presented credential. `keyId` is the key as the client names it: its id, or under
 * key_secret none the key string itself, the only thing presented (then `secret` is absent).
 */
export type Credential =
  | { scheme: 'bearer'; token: string }
  | { scheme: 'apikey'; keyId: string; secret?: string }

/** State of the tightest rate-limit window a request consumed (for RateLimit-* headers). */
export interface RateLimitStatus {
  limit: number
  remaining: number
  /** Whole seconds until the window resets. */
  resetSeconds: number
}

/** The tokens of a new session: the contract's token response, without the refresh fields under refresh none. */
export type IssuedTokens = Omit<TokenResponse, 'refresh_token' | 'refresh_expires_in'> &
  Partial<Pick<TokenResponse, 'refresh_token' | 'refresh_expires_in'>>

/** Tokens plus the rate-limit state the request consumed. */
export interface TokenGrant {
  tokens: IssuedTokens
  rateLimit: RateLimitStatus
}

export type ResetScope = 'all' | 'clock' | 'sessions' | 'rate_limits' | 'data'

export interface RecordTarget { principal: Principal; dataset: string; id: string }

export interface Domain {
  // ── discovery ──
  /** The discovery document (GET /.well-known/auth-configuration). */
  discovery(): Discovery
  /** The public signing keys (GET /.well-known/jwks.json). */
  jwks(): Jwks

  // ── tokens ──
  /**
   * Exchanges an API key + secret for a new session's tokens; applies token rate limits. Under
   * key_secret none, `apiKey` is the key string alone and `apiSecret` is not given.
   */
  exchangeApiKey(input: { apiKey: string; apiSecret?: string; address: string }): Promise<TokenGrant>
  /** Rotates a refresh token: new access + refresh token in the same session; reuse revokes the session. */
  refresh(input: { refreshToken: string }): Promise<TokenResponse>
  /** Ends the session of an access or refresh token; unknown/invalid tokens are ignored (RFC 7009). */
  revoke(input: { token: string }): Promise<void>
  /** Signs a user in with email + password; applies signin and signin_failures limits. */
  signIn(input: { email: string; password: string; address: string }): Promise<TokenGrant>
  /**
   * Resolves a bearer token or ApiKey credential to the live principal — at once for an
   * ApiKey or a token verified before, else a promise — or rejects with a 401-class error
   * (a rejected promise, never a throw).
   */
  authenticate(credential: Credential): MaybePromise<Principal>

  // ── sessions ──
  /** The caller's live sessions (`current` marks the caller's own). */
  listSessions(principal: Principal): Session[]
  /** Ends a session of the caller (admins: any); `'current'` = the caller's own. Others' → NotFoundError. */
  endSession(principal: Principal, id: string): void

  // ── users (admin; the HTTP layer calls requireAdmin) ──
  /** Creates a user; `options.id` gives fixtures a deterministic id. ConflictError on a taken email. */
  createUser(input: UserInput, options?: { id?: string }): Promise<User>
  /** All users in creation order. */
  listUsers(): User[]
  /** One user or NotFoundError. */
  getUser(id: string): User
  /** Partial update; deactivation ends every session of the user. */
  updateUser(id: string, patch: UserPatch): Promise<User>
  /** Deletes a user and ends every session of the user. */
  deleteUser(id: string): void

  // ── keys (admin) ──
  /** Creates a key and returns its secret once; `options` give fixtures an explicit id/secret. */
  createKey(input: KeyInput, options?: { id?: string; secret?: string }): CreatedKey
  /** Live keys in creation order, never with secrets. */
  listKeys(): Key[]
  /** One live key or NotFoundError. */
  getKey(id: string): Key
  /** Revokes (removes) a key and ends its sessions. */
  revokeKey(id: string): void
  /** Replaces a key's secret; the old secret and all earlier tokens stop working. */
  rotateKey(id: string): CreatedKey
  /** Installs the admin key from fixtures/config with a known id and secret (replacing one with that id). */
  bootstrapAdminKey(input: { id: string; secret: string; description?: string; expiresAt?: string }): Key

  // ── policies and datasets (admin) ──
  /** Creates a policy; `options.id` for fixtures. */
  createPolicy(input: PolicyInput, options?: { id?: string }): Policy
  /** All policies in creation order. */
  listPolicies(): Policy[]
  /** One policy or NotFoundError. */
  getPolicy(id: string): Policy
  /** Full replacement (PUT). */
  replacePolicy(id: string, input: PolicyInput): Policy
  /** Deletes a policy; decisions change on the next request. */
  deletePolicy(id: string): void
  /** Under semantics permissions roles: gives a user or key its role grant (NotFoundError if it does not exist). */
  setRoleGrant(subject: PrincipalSubject, grant: RoleGrant): void
  /** Creates an empty dataset; ConflictError if it exists. */
  createDataset(input: { name: string }): Dataset
  /** All datasets in creation order. */
  listDatasets(): Dataset[]
  /** Deletes a dataset and its records. */
  deleteDataset(name: string): void

  // ── records (policy-checked; admin bypasses) ──
  /** The readable records of a dataset in creation order, paged by limit + opaque cursor. */
  listRecords(input: ListRecordsInput): RecordPage
  /**
   * The page listRecords would answer, when it is kept and still current; undefined when it
   * would be computed. Changes nothing; throws what listRecords would throw before reading.
   */
  keptListPage(input: ListRecordsInput): RecordPage | undefined
  /** One record, subject to the read decision (403/404 rule). */
  getRecord(input: RecordTarget): DataRecord
  /** Creates a record owned by the caller; create policies are checked on the new record. */
  createRecord(input: { principal: Principal; dataset: string; fields: { [field: string]: unknown } }): DataRecord
  /** JSON merge patch; update policies are checked on the stored record and on the result. */
  patchRecord(input: RecordTarget & { patch: { [field: string]: unknown } }): DataRecord
  /** Deletes a record; delete policies are checked on the stored record. */
  deleteRecord(input: RecordTarget): void
  /** Fixtures: stores a record with an explicit owner (and id), bypassing policies. */
  seedRecord(input: { dataset: string; owner: string; fields: { [field: string]: unknown }; id?: string }): DataRecord

  // ── permissions ──
  /** The caller's subject, role, namespaces and effective policies. */
  permissionsMe(principal: Principal): PermissionsMe
  /** The evaluator exposed: policies only (admin-ness is not policy). */
  checkPermission(input: PermissionCheck): PermissionDecision
  /** Throws ForbiddenError unless the principal has the admin role. */
  requireAdmin(principal: Principal): void
  /** True when the principal's policies grant `action` on `dataset` at all (before filters). */
  grants(principal: Principal, dataset: string, action: Action): boolean

  // ── rate limits ──
  /**
   * Counts one hit against every rule of `scope` whose `per` key is given; throws (or
   * rejects with) RateLimitedError when exhausted. A promise where the windows are shared.
   */
  consumeRateLimit(scope: RateLimitScope, keys: Partial<Record<RateLimitPer, string>>): MaybePromise<RateLimitStatus>

  // ── state control ──
  /** Remembers the current keys, users, policies, datasets and records as the fixture state; call after loading fixtures. */
  markFixtureState(): void
  /**
   * The control extension's reset (DISC-006). rate_limits: every window closed, nothing
   * else. sessions: every session and token forgotten (401 from then on), nothing else.
   * data: keys, users, policies, datasets and records back to the last markFixtureState(),
   * and every session forgotten. clock: back to real time, and — since whatever was issued
   * under the advanced clock would lie in the future — every session forgotten and every
   * window closed. all: everything.
   */
  reset(scope: ResetScope): void
  /** Purges expired sessions, refresh tokens, rate windows and cache entries now. */
  sweep(): void
  /** Sizes of the mutable state (for memory checks and tests). */
  stateCounts(): { [table: string]: number }
}
