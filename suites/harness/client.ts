// The typed client cases use: paths are the contract's templates ('/v1/keys/{id}') with
// `params`, so request bodies and success bodies are typed from the generated schema.
// `send` is the untyped door for deliberately invalid requests; `raw` sends bytes as given.
import type { Method, PathParams, PathsWith, QueryParams, RequestBody, SuccessBody } from './contract-types.ts'
import { authorizationHeader, type Credential } from './credentials.ts'
import { send, type HttpResponse } from './http.ts'
import { SetupError } from './errors.ts'

export type ApiResponse<T = unknown> = HttpResponse<T>

type Query = Record<string, string | number | boolean | undefined>

export interface CallOptions<P = Record<string, string>, Q = Query> {
  params?: P
  query?: Q
  headers?: Record<string, string>
}

export interface UntypedRequest extends CallOptions {
  method: Method | Uppercase<Method>
  /** A template ('/v1/keys/{id}' with params) or a concrete path. */
  path: string
  /** Serialised as JSON (any value, valid or not for the operation). */
  body?: unknown
}

export interface RawRequest {
  method: string
  path: string
  headers?: Record<string, string>
  body?: string | Buffer
  /** Adds this credential's Authorization header unless `headers` sets one. */
  as?: Credential
}

export interface Client {
  get<P extends PathsWith<'get'>>(path: P, options?: CallOptions<PathParams<P, 'get'>, QueryParams<P, 'get'>>): Promise<ApiResponse<SuccessBody<P, 'get'>>>
  post<P extends PathsWith<'post'>>(path: P, body?: RequestBody<P, 'post'>, options?: CallOptions<PathParams<P, 'post'>>): Promise<ApiResponse<SuccessBody<P, 'post'>>>
  put<P extends PathsWith<'put'>>(path: P, body: RequestBody<P, 'put'>, options?: CallOptions<PathParams<P, 'put'>>): Promise<ApiResponse<SuccessBody<P, 'put'>>>
  patch<P extends PathsWith<'patch'>>(path: P, body: RequestBody<P, 'patch'>, options?: CallOptions<PathParams<P, 'patch'>>): Promise<ApiResponse<SuccessBody<P, 'patch'>>>
  delete<P extends PathsWith<'delete'>>(path: P, options?: CallOptions<PathParams<P, 'delete'>>): Promise<ApiResponse<SuccessBody<P, 'delete'>>>
  /** Any method, path and JSON body, still checked against the contract. */
  send(request: UntypedRequest): Promise<ApiResponse<any>>
}

/** Fills '{name}' placeholders, URL-encoding each value. */
export function expandPath(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new SetupError(`path ${template}: no value for {${name}} in params`)
    return encodeURIComponent(String(value))
  })
}

/** A client that gets its Authorization header (if any) from `authorize` on each call. */
export function clientWith(authorize: () => Promise<string | undefined>, onUnauthorized?: Retry): Client {
  const call = async (request: UntypedRequest): Promise<ApiResponse<any>> => {
    let authorization: string | undefined
    const attempt = async () => {
      const headers: Record<string, string> = { accept: 'application/json, application/problem+json' }
      authorization = await authorize()
      if (authorization) headers.authorization = authorization
      let body: string | undefined
      if (request.body !== undefined) {
        headers['content-type'] = 'application/json'
        body = JSON.stringify(request.body)
      }
      return send({
        method: request.method,
        path: expandPath(request.path, request.params),
        query: request.query,
        headers: { ...headers, ...request.headers },
        body,
      })
    }
    const response = await attempt()
    return onUnauthorized && (await onUnauthorized(response, authorization)) ? attempt() : response
  }
  const typed =
    (method: Method) =>
    (path: string, bodyOrOptions?: unknown, maybeOptions?: CallOptions<any, any>) => {
      const hasBody = method !== 'get' && method !== 'delete'
      const options = (hasBody ? maybeOptions : bodyOrOptions) as CallOptions<any, any> | undefined
      return call({ method, path, body: hasBody ? bodyOrOptions : undefined, ...options })
    }
  return {
    get: typed('get'),
    post: typed('post'),
    put: typed('put'),
    patch: typed('patch'),
    delete: typed('delete'),
    send: call,
  } as unknown as Client
}

/** Decides after a response to a request sent with `authorization` whether to retry once (the admin client re-authenticates). */
export type Retry = (response: ApiResponse<any>, authorization: string | undefined) => Promise<boolean>

export function clientAs(credential: Credential): Client {
  return clientWith(() => authorizationHeader(credential))
}

/** Sends the bytes as given: for malformed JSON, wrong media types, odd headers. */
export async function raw(request: RawRequest): Promise<ApiResponse<any>> {
  const headers = { ...request.headers }
  const hasAuthorization = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')
  const authorization = request.as ? await authorizationHeader(request.as) : undefined
  if (authorization && !hasAuthorization) headers.authorization = authorization
  return send({ method: request.method, path: request.path, headers, body: request.body })
}
