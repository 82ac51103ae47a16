/**
 * Contract shapes the domain accepts and returns.
 * TEMPORARY: hand-written from /tmp/decisions.md until openapi/generated/schema.d.ts exists;
 * then each becomes an alias of `components['schemas'][...]`.
 */
export type SubjectType = 'api_key' | 'user' | 'namespace'
export type Action = 'create' | 'read' | 'update' | 'delete'
export type Role = 'admin' | 'client' | 'user'
export type Scalar = string | number | boolean | null

export interface Subject { type: SubjectType; id: string }
export interface PrincipalSubject { type: 'api_key' | 'user'; id: string }

export interface TokenResponse {
  access_token: string
  token_type: 'Bearer'
  expires_in: number
  refresh_token: string
  refresh_expires_in: number
  session_id: string
}

export interface Key {
  id: string
  description: string
  role: 'admin' | 'client'
  created_at: string
  expires_at: string | null
  rotated_at: string | null
}
export interface CreatedKey extends Key { secret: string }
export interface KeyInput { description: string; role?: 'admin' | 'client'; expires_at?: string }

export interface User {
  id: string
  email: string
  namespaces: string[]
  active: boolean
  created_at: string
  updated_at: string
}
export interface UserInput { email: string; password: string; namespaces?: string[]; active?: boolean }
export interface UserPatch { email?: string; password?: string; namespaces?: string[]; active?: boolean }

export interface Session {
  id: string
  subject: PrincipalSubject
  created_at: string
  expires_at: string
  current: boolean
}

export interface Condition { field: string; op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in'; value: Scalar | Scalar[] }
export interface OwnerFilter { owner: true }
export type Filter = Condition | OwnerFilter

export interface PolicyInput {
  description?: string
  subjects: Subject[]
  resources: string[]
  actions: Action[]
  filters?: Filter[]
}
export interface Policy {
  id: string
  description: string
  subjects: Subject[]
  resources: string[]
  actions: Action[]
  filters: Filter[]
}

export interface Dataset { name: string; created_at: string }

/** A record: system fields plus free top-level fields of any JSON value. */
export type DataRecord = { id: string; owner: string; created_at: string; updated_at: string } & { [field: string]: unknown }
export interface RecordPage { items: DataRecord[]; next_cursor: string | null }

export interface PermissionsMe { subject: PrincipalSubject; role: Role; namespaces: string[]; policies: Policy[] }
export interface PermissionCheck { subject: Subject; dataset: string; action: Action; record?: { [field: string]: unknown } }
export interface PermissionDecision { allowed: boolean; matched_policies: string[] }

export interface RateLimitRule {
  scope: 'token' | 'signin' | 'signin_failures' | 'data'
  per: 'credential' | 'address' | 'account' | 'subject'
  limit: number
  window_seconds: number
}
export type Feature = 'apikey_scheme' | 'basic_signin' | 'test_control'

export interface Discovery {
  issuer: string
  jwks_uri: string
  token_endpoint: string
  access_token_ttl: number
  refresh_token_ttl: number
  signing_alg_values_supported: string[]
  api_key_pattern: string
  rate_limits: RateLimitRule[]
  features: Feature[]
}

export interface Jwk { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' }
export interface Jwks { keys: Jwk[] }
