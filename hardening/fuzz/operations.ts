// What the fuzzer needs to know about each operation, read from the OpenAPI bundle: its
// path parameters and their schemas, its query parameters, whether it has a JSON body
// (and where its schema lives, for ajv), and whether anonymous callers may use it.
import { HTTP_METHODS, contract, deref, type OpenApiObject } from '../../openapi/contract.ts'
import type { Schema } from './schema-arbitrary.ts'

export interface FuzzParameter {
  name: string
  in: 'path' | 'query' | 'header'
  required: boolean
  schema: Schema
}

export interface FuzzOperation {
  operationId: string
  method: string
  /** OpenAPI template, e.g. /v1/users/{id}. */
  template: string
  pathParams: FuzzParameter[]
  queryParams: FuzzParameter[]
  /** JSON Pointer of the JSON body schema in the bundle; undefined when the operation takes no body. */
  bodyPointer: string | undefined
  bodySchema: Schema | undefined
  bodyRequired: boolean
  /** Anonymous callers are allowed (an empty security requirement, or none at all). */
  anonymous: boolean
  /** Operations of an optional feature the target may not have (x-feature). */
  feature: string | null
}

const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1')

export const fuzzOperations: readonly FuzzOperation[] = Object.entries(contract.paths).flatMap(([template, item]) =>
  HTTP_METHODS.flatMap((method) => {
    const operation = item[method]
    if (!operation) return []
    const parameters = [...((item.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])]
      .map((parameter) => deref(parameter as Schema))
      .map((parameter) => ({ name: parameter.name, in: parameter.in, required: parameter.required === true, schema: parameter.schema ?? {} }))
    const body = operation.requestBody ? deref(operation.requestBody as Schema) : undefined
    const json = (body?.content as Record<string, OpenApiObject> | undefined)?.['application/json']
    const security = (operation.security ?? contract.security ?? []) as object[]
    return [
      {
        operationId: operation.operationId,
        method: method.toUpperCase(),
        template,
        pathParams: parameters.filter((parameter) => parameter.in === 'path'),
        queryParams: parameters.filter((parameter) => parameter.in === 'query'),
        bodyPointer: json ? `#/paths/${escape(template)}/${method}/requestBody/content/application~1json/schema` : undefined,
        bodySchema: json?.schema as Schema | undefined,
        bodyRequired: body?.required === true,
        anonymous: security.length === 0 || security.some((requirement) => Object.keys(requirement).length === 0),
        feature: operation['x-feature'] ?? null,
      },
    ]
  }),
)

/**
 * Where the ids a path parameter takes come from: the collection in front of it
 * (/v1/datasets/{name}/records/{id}: name → /v1/datasets, id → /v1/datasets/{name}/records).
 */
export function collectionOf(template: string, parameter: string): string {
  return template.slice(0, template.indexOf(`/{${parameter}}`))
}
