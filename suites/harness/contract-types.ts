// Types the harness derives from the generated contract (openapi-typescript output), so a
// case's request bodies and success bodies are checked by the compiler against the spec.
import type { components, paths } from '../../openapi/generated/schema.d.ts'

type Schemas = components['schemas']
export type Discovery = Schemas['Discovery']
export type Jwks = Schemas['Jwks']
export type TokenResponse = Schemas['TokenResponse']
export type Problem = Schemas['Problem']
export type ProblemCode = Schemas['ProblemCode']
export type Key = Schemas['Key']
export type CreatedKey = Schemas['CreatedKey']
export type KeyCreate = Schemas['KeyCreate']
export type User = Schemas['User']
export type UserCreate = Schemas['UserCreate']
export type Session = Schemas['Session']
export type Policy = Schemas['Policy']
export type PolicyInput = Schemas['PolicyInput']
export type DatasetRecord = Schemas['Record']
export type Feature = Schemas['Feature']
export type RateLimit = Schemas['RateLimit']

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'
export type Paths = paths

/** The documented paths that have an operation for method M. */
export type PathsWith<M extends Method> = {
  [P in keyof Paths]: Paths[P] extends { [K in M]: infer O } ? ([O] extends [never] ? never : P) : never
}[keyof Paths]

type Operation<P extends keyof Paths, M extends Method> = Paths[P] extends { [K in M]: infer O } ? O : never

type JsonContent<T> = T extends { content: { 'application/json': infer B } } ? B : undefined

/** The JSON request body of an operation (never when it takes none). */
export type RequestBody<P extends keyof Paths, M extends Method> =
  Operation<P, M> extends { requestBody?: infer R } ? JsonContent<NonNullable<R>> : never

/** The union of the operation's documented 2xx bodies (undefined for 204). */
export type SuccessBody<P extends keyof Paths, M extends Method> =
  Operation<P, M> extends { responses: infer R }
    ? { [S in keyof R]: S extends 200 | 201 | 202 | 204 | '200' | '201' | '202' | '204' ? JsonContent<R[S]> : never }[keyof R]
    : never

type Parameters<P extends keyof Paths, M extends Method> = Operation<P, M> extends { parameters: infer Q } ? Q : never
export type PathParams<P extends keyof Paths, M extends Method> = Parameters<P, M> extends { path?: infer X } ? X : never
export type QueryParams<P extends keyof Paths, M extends Method> = Parameters<P, M> extends { query?: infer X } ? X : never
