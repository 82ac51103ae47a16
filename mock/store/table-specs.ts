/**
 * What each keyed table is keyed and indexed by. The memory tables index by these; a
 * replicated store names, from the same functions, the rows and index buckets a change
 * touches — so the two never disagree on what a lookup depends on.
 */
import type { Store, StoredDataset, StoredKey, StoredPolicy, StoredRefreshToken, StoredSession, StoredUser } from './store.ts'

export type KeyedTableName = Exclude<keyof Store, 'records' | 'nextSeq' | 'snapshot' | 'restore'>

export interface TableSpec<T> {
  keyOf(entity: T): string
  /** Index name → the values an entity is found under. */
  indexes: { readonly [index: string]: (entity: T) => readonly string[] }
}

type RowOf<N extends KeyedTableName> = Store[N] extends { get(key: string): infer T | undefined } ? T : never

export const TABLE_SPECS: { readonly [N in KeyedTableName]: TableSpec<RowOf<N>> } = {
  keys: { keyOf: (key: StoredKey) => key.id, indexes: { secret: (key) => [key.secretHash] } },
  users: { keyOf: (user: StoredUser) => user.id, indexes: { email: (user) => [user.emailKey] } },
  sessions: {
    keyOf: (session: StoredSession) => session.id,
    indexes: { subject: (session) => [`${session.subject.type}:${session.subject.id}`] },
  },
  refreshTokens: { keyOf: (token: StoredRefreshToken) => token.hash, indexes: { session: (token) => [token.sessionId] } },
  policies: {
    keyOf: (entry: StoredPolicy) => entry.policy.id,
    indexes: { subject: (entry) => entry.policy.subjects.map((subject) => `${subject.type}:${subject.id}`) },
  },
  datasets: { keyOf: (dataset: StoredDataset) => dataset.name, indexes: {} },
}

export const KEYED_TABLES = Object.keys(TABLE_SPECS) as KeyedTableName[]
