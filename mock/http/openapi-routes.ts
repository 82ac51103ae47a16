// Reads the routes out of the OpenAPI bundle: for every operation its URL, the JSON
// Schemas of body, path and query (references resolved), whether it needs credentials,
// and whether its answers carry secrets. Nothing here restates the contract.
import { HTTP_METHODS, contract, type OpenApiDocument, type OpenApiObject, type OpenApiOperation } from '../../openapi/contract.ts'
import type { operations } from '../../openapi/generated/schema.d.ts'

export type OperationId = keyof operations

export interface RouteSpec {
  method: Uppercase<(typeof HTTP_METHODS)[number]>
  /** Fastify syntax: /v1/users/:id */
  url: string
  /** OpenAPI syntax: /v1/users/{id} */
  path: string
  operationId: OperationId
  schema: { body?: object; params?: object; querystring?: object }
  /**
   * The body schema when the body is optional. Fastify validates an absent body as null,
   * so `schema.body` lets null through; a JSON `null` document is checked against this.
   */
  optionalBody: object | null
  /** The Content-Types the request body may have (empty: no body). */
  bodyTypes: string[]
  /** False when `security` allows anonymous callers (an empty requirement). */
  authenticated: boolean
  /** The operation declares a 429 answer. */
  rateLimited: boolean
  /** The success answer declares Cache-Control (it carries a token or a secret). */
  noStore: boolean
  /** The optional feature the operation belongs to (x-feature), if any. */
  feature: string | null
  /** The error answers (4xx, 5xx) the operation documents, in status order. */
  errors: DocumentedError[]
}

/** One documented error answer of an operation. */
export interface DocumentedError {
  status: number
  /** The problem codes its examples name, in document order (empty: the answer names none). */
  codes: string[]
  /** The headers it documents, lower case. */
  headers: string[]
}

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema?: object
}

export function routesFromContract(document: OpenApiDocument = contract): RouteSpec[] {
  const resolve = createResolver(document)
  return Object.entries(document.paths).flatMap(([path, rawItem]) => {
    const item = resolve(rawItem) as OpenApiObject
    return HTTP_METHODS.flatMap((method) => {
      const operation = item[method] as OpenApiOperation | undefined
      if (!operation) return []
      const parameters = [
        ...((item.parameters as unknown[] | undefined) ?? []),
        ...((operation.parameters as unknown[] | undefined) ?? []),
      ].map((parameter) => resolve(parameter) as Parameter)
      const body = resolve(operation.requestBody ?? null) as { content?: Record<string, { schema?: object }>; required?: boolean } | null
      const bodyTypes = Object.keys(body?.content ?? {})
      const bodySchema = body?.content?.['application/json']?.schema
      const security = (operation.security ?? document.security ?? []) as object[]
      const schema: RouteSpec['schema'] = {}
      if (bodySchema) schema.body = body?.required ? (bodySchema as object) : optional(bodySchema)
      const params = parameterSchema(parameters, 'path')
      if (params) schema.params = params
      const querystring = parameterSchema(parameters, 'query')
      if (querystring) schema.querystring = querystring
      return [
        {
          method: method.toUpperCase() as RouteSpec['method'],
          url: path.replace(/\{(\w+)\}/g, ':$1'),
          path,
          operationId: operation.operationId as OperationId,
          schema,
          optionalBody: bodySchema && !body?.required ? bodySchema : null,
          bodyTypes,
          authenticated: security.length > 0 && security.every((requirement) => Object.keys(requirement).length > 0),
          rateLimited: Object.hasOwn((operation.responses ?? {}) as object, '429'),
          noStore: declaresCacheControl(resolve, operation),
          feature: operation['x-feature'] ?? null,
          errors: documentedErrors(resolve, operation),
        },
      ]
    })
  })
}

/**
 * The most characters (code points) any path parameter of the contract allows; ids longer
 * than that name no resource.
 */
export function longestPathParameter(routes: RouteSpec[]): number {
  const lengths = routes.flatMap((route) => {
    const properties = (route.schema.params as { properties?: Record<string, { maxLength?: number }> } | undefined)?.properties ?? {}
    return Object.values(properties).map((property) => property.maxLength ?? Number.POSITIVE_INFINITY)
  })
  return Math.max(0, ...lengths)
}

/**
 * An optional body may be absent (Fastify validates it as null); if/else rather than
 * anyOf so that a present but bad body reports only its own errors.
 */
function optional(schema: object): object {
  return { if: { type: 'null' }, else: schema }
}

function parameterSchema(parameters: Parameter[], location: 'path' | 'query'): object | undefined {
  const selected = parameters.filter((parameter) => parameter.in === location)
  if (selected.length === 0) return undefined
  const required = selected.filter((parameter) => parameter.required).map((parameter) => parameter.name)
  return {
    type: 'object',
    properties: Object.fromEntries(selected.map((parameter) => [parameter.name, parameter.schema ?? {}])),
    ...(required.length > 0 && { required }),
  }
}

function declaresCacheControl(resolve: (node: unknown) => unknown, operation: OpenApiOperation): boolean {
  const responses = (operation.responses ?? {}) as Record<string, unknown>
  return Object.entries(responses).some(([status, response]) => {
    if (!status.startsWith('2')) return false
    const headers = (resolve(response) as { headers?: Record<string, unknown> }).headers ?? {}
    return Object.keys(headers).some((name) => name.toLowerCase() === 'cache-control')
  })
}

function documentedErrors(resolve: (node: unknown) => unknown, operation: OpenApiOperation): DocumentedError[] {
  const responses = (operation.responses ?? {}) as Record<string, unknown>
  return Object.entries(responses)
    .filter(([status]) => /^[45]\d\d$/.test(status))
    .map(([status, raw]) => {
      const response = resolve(raw) as { headers?: Record<string, unknown>; content?: Record<string, { example?: unknown; examples?: Record<string, { value?: unknown }> }> }
      const examples = Object.values(response.content ?? {}).flatMap((media) => [
        ...(media.example === undefined ? [] : [media.example]),
        ...Object.values(media.examples ?? {}).map((example) => example.value),
      ])
      const codes = examples.map((example) => (example as { code?: unknown } | undefined)?.code).filter((code): code is string => typeof code === 'string')
      return { status: Number(status), codes: [...new Set(codes)], headers: Object.keys(response.headers ?? {}).map((name) => name.toLowerCase()) }
    })
    .sort((a, b) => a.status - b.status)
}

/**
 * Resolves local `$ref`s ("#/components/...") by inlining, so each route schema stands
 * alone for ajv. The contract has no recursive schemas; a cycle is a contract bug and
 * fails loudly at start-up rather than looping.
 */
function createResolver(document: OpenApiDocument): (node: unknown) => unknown {
  const lookup = (ref: string): unknown => {
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`)
    return ref
      .slice(2)
      .split('/')
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, segment) => (node as Record<string, unknown> | undefined)?.[segment], document)
  }
  const resolve = (node: unknown, seen: readonly string[]): unknown => {
    if (Array.isArray(node)) return node.map((child) => resolve(child, seen))
    if (node === null || typeof node !== 'object') return node
    const { $ref, ...rest } = node as Record<string, unknown>
    if (typeof $ref === 'string') {
      if (seen.includes($ref)) throw new Error(`recursive $ref in the contract: ${[...seen, $ref].join(' → ')}`)
      const target = lookup($ref)
      if (target === undefined) throw new Error(`unresolvable $ref in the contract: ${$ref}`)
      // OpenAPI 3.1 allows siblings next to $ref; they refine the target.
      return { ...(resolve(target, [...seen, $ref]) as object), ...(resolve(rest, seen) as object) }
    }
    return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, resolve(value, seen)]))
  }
  return (node) => resolve(node, [])
}
