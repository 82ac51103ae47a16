/**
 * Contract shapes the domain accepts and returns: aliases of the generated OpenAPI types
 * (openapi/generated/schema.d.ts), never restated by hand. Fields the schema defaults
 * (role, active, filters …) are optional there already (--default-non-nullable false); a
 * policy's description is optional here too, so fixtures may leave it out.
 */
import type { components } from '../../openapi/generated/schema.d.ts'

type Schemas = components['schemas']
type WithOptional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>

export type Action = Schemas['Action']
export type Scalar = Schemas['ConditionValue']
export type Subject = Schemas['PolicySubject']
export type PrincipalSubject = Schemas['SubjectRef']
export type Role = Schemas['PermissionsMe']['role']

export type TokenResponse = Schemas['TokenResponse']

export type Key = Schemas['Key']
export type CreatedKey = Schemas['CreatedKey']
export type KeyInput = Schemas['KeyCreate']

export type User = Schemas['User']
export type UserInput = Schemas['UserCreate']
export type UserPatch = Schemas['UserPatch']

export type Session = Schemas['Session']

export type Condition = Schemas['Condition']
export type OwnerFilter = Schemas['OwnerFilter']
export type Filter = Schemas['Filter']
export type PolicyInput = WithOptional<Schemas['PolicyInput'], 'description'>
export type Policy = Schemas['Policy']

export type Dataset = Schemas['Dataset']
export type DataRecord = Schemas['Record']
export type RecordPage = Schemas['RecordList']

export type PermissionsMe = Schemas['PermissionsMe']
export type PermissionCheck = Schemas['PermissionCheck']
export type PermissionDecision = Schemas['PermissionCheckResult']

export type RateLimitRule = Schemas['RateLimit']
export type Feature = Schemas['Feature']
export type Discovery = Schemas['Discovery']
export type Jwk = Schemas['Jwk']
export type Jwks = Schemas['Jwks']
