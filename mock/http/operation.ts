// The shape of an operation handler: typed input from the generated contract types in,
// one domain call, an answer out. Handlers never touch Fastify.
import type { operations } from '../../openapi/generated/schema.d.ts'
import type { Domain, Principal } from '../domain/types.ts'
import type { OperationId } from './openapi-routes.ts'

type JsonContent<R> = R extends { content: { 'application/json': infer B } } ? B : never
type RequestBodyOf<K extends OperationId> = operations[K] extends { requestBody?: unknown } ? operations[K]['requestBody'] : never

/** The JSON body; `undefined` is possible when the contract makes the body optional. */
export type Body<K extends OperationId> = [NonNullable<RequestBodyOf<K>>] extends [never]
  ? undefined
  : JsonContent<NonNullable<RequestBodyOf<K>>> | (undefined extends RequestBodyOf<K> ? undefined : never)

export type PathParams<K extends OperationId> = operations[K]['parameters'] extends { path: infer P } ? P : Record<string, never>
export type Query<K extends OperationId> = operations[K]['parameters'] extends { query?: infer Q }
  ? Exclude<Q, undefined>
  : Record<string, never>

export interface Call<K extends OperationId> {
  domain: Domain
  body: Body<K>
  params: PathParams<K>
  query: Query<K>
  /** The authenticated caller; only operations that require credentials may read it. */
  readonly principal: Principal
  /** The client's address (rate limits per address). */
  address: string
  /** The raw Authorization header (HTTP Basic sign-in reads it). */
  authorization: string | undefined
}

export interface Answer {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export type Handler<K extends OperationId> = (call: Call<K>) => Answer | Promise<Answer>

export interface Operation<K extends OperationId> {
  handle: Handler<K>
  /** Management operations: a non-admin caller is answered 403 before the body is looked at. */
  adminOnly?: boolean
  /** Answers from configuration alone (discovery): a replicated mock answers it without its shared state. */
  stateless?: boolean
}

export type OperationTable = { [K in OperationId]?: Operation<K> }

export const ok = (body: unknown, headers?: Record<string, string>): Answer => ({ status: 200, body, headers })
export const created = (body: unknown, headers?: Record<string, string>): Answer => ({ status: 201, body, headers })
export const noContent = (): Answer => ({ status: 204 })
