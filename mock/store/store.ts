/**
 * The mock's persistence boundary. The domain only talks to this interface; the in-memory
 * implementation (memory-store.ts) is the one the mock ships. Entities are plain data
 * (structured-cloneable) so a store can snapshot and restore them. After changing an
 * entity, the domain calls `put` again so a store may re-index or persist it.
 */
import type { DataRecord, Policy, PrincipalSubject } from '../domain/contract.ts'
import type { RoleGrant } from '../domain/roles.ts'

/** Epoch milliseconds. */
export type Millis = number

export interface StoredKey {
  id: string
  description: string
  role: 'admin' | 'client'
  /** SHA-256 of the secret, hex. */
  secretHash: string
  createdAt: Millis
  expiresAt: Millis | null
  rotatedAt: Millis | null
  /** Its data access under semantics permissions roles (absent: none). */
  grant?: RoleGrant
}

export interface StoredUser {
  id: string
  email: string
  /** Lower-cased email: uniqueness and sign-in lookup are case-insensitive. */
  emailKey: string
  /** Self-describing scrypt hash (see passwords.ts). */
  passwordHash: string
  namespaces: string[]
  active: boolean
  createdAt: Millis
  updatedAt: Millis
  /** Its data access under semantics permissions roles (absent: none). */
  grant?: RoleGrant
}

export interface StoredSession {
  id: string
  subject: PrincipalSubject
  createdAt: Millis
  /** Expiry of the session's current refresh token. */
  refreshExpiresAt: Millis
  /** Latest `exp` of any access token issued in this session. */
  accessExpiresAt: Millis
  /** When the session was ended (revoked, reuse, logout); null while live. */
  endedAt: Millis | null
}

export interface StoredRefreshToken {
  /** SHA-256 of the opaque token, hex (the token itself is never stored). */
  hash: string
  sessionId: string
  issuedAt: Millis
  expiresAt: Millis
  /** Set when the token was exchanged; presenting it again is reuse. */
  usedAt: Millis | null
}

export interface StoredPolicy {
  /** Creation sequence: policies answer in creation order. */
  seq: number
  policy: Policy
}

export interface StoredDataset {
  name: string
  createdAt: Millis
}

export interface StoredRecord {
  /** Creation sequence within the store: list order and cursor position. */
  seq: number
  /** The record as answered, frozen: system fields + free fields. */
  record: Readonly<DataRecord>
}

/** A keyed collection in insertion order with optional secondary (multi-valued) indexes. */
export interface Table<T, I extends string = never> {
  get(key: string): T | undefined
  /** Inserts or replaces (by primary key) and re-indexes. */
  put(entity: T): void
  delete(key: string): boolean
  /**
   * Forgets a row whose every use has expired (the sweep's housekeeping, not a change of
   * state): a replicated store lets each replica purge on its own, since the shared clock
   * makes every replica purge the same rows.
   */
  purge(key: string): boolean
  /** Entities in insertion order. */
  values(): IterableIterator<T>
  /** Entities whose index `index` contains `value`. */
  lookup(index: I, value: string): T[]
  readonly size: number
  /** Counts changes (put, delete, clear): what is derived from the rows may be kept while it stays. */
  readonly version: number
  clear(): void
}

export interface RecordTable {
  get(dataset: string, id: string): StoredRecord | undefined
  /** Appends a new record (its seq must exceed every seq in the dataset). */
  insert(dataset: string, entry: StoredRecord): void
  /** Replaces a record in place, keeping its position. */
  replace(dataset: string, entry: StoredRecord): void
  delete(dataset: string, id: string): boolean
  /**
   * Visits the records with seq > afterSeq in creation order until `visit` returns false.
   * (A visitor, not an iterator: a list examines thousands of records per request, and an
   * iterator allocates a result object for each.)
   */
  scan(dataset: string, afterSeq: number, visit: (entry: StoredRecord) => boolean): void
  /**
   * Counts changes to one dataset's records (insert, replace, delete, dropDataset, clear):
   * what is derived from them (a list answer) may be kept while it stays. Never repeats for
   * a dataset, also across dropDataset and clear and a dataset re-created under its name.
   */
  version(dataset: string): number
  dropDataset(dataset: string): void
  readonly size: number
  clear(): void
}

export type TableName = 'keys' | 'users' | 'sessions' | 'refreshTokens' | 'policies' | 'datasets' | 'records'

/** Opaque deep copy of some tables. */
export interface StoreSnapshot { readonly tables: Partial<Record<TableName, unknown>>; readonly seq: number }

export interface Store {
  /** Index `secret`: by secretHash (a key presented by its secret alone, semantics key_secret none). */
  keys: Table<StoredKey, 'secret'>
  /** Index `email`: by emailKey. */
  users: Table<StoredUser, 'email'>
  /** Index `subject`: by `type:id`. */
  sessions: Table<StoredSession, 'subject'>
  /** Keyed by hash; index `session`: by sessionId. */
  refreshTokens: Table<StoredRefreshToken, 'session'>
  /** Keyed by policy id; index `subject`: by subject key `type:id` of each subject. */
  policies: Table<StoredPolicy, 'subject'>
  datasets: Table<StoredDataset>
  records: RecordTable
  /** A fresh, strictly increasing sequence number. */
  nextSeq(): number
  snapshot(tables: TableName[]): StoreSnapshot
  /** Replaces the named tables with the snapshot's copies (tables not in the snapshot are emptied). */
  restore(snapshot: StoreSnapshot, tables: TableName[]): void
}
