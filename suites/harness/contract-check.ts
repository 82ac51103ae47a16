// Checks every response against the OpenAPI bundle (ERR-017): the status is documented
// for the operation, the media type and body match the documented schema (ajv, JSON
// Schema 2020-12 as OpenAPI 3.1 uses), documented headers are present when required and
// valid when present, and errors are application/problem+json — for unknown routes too.
// Under a profile the same checks hold the target to the profile's own OpenAPI document,
// whose errors have the profile's envelope (createResponseCheck).
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
// The bundle without the requirement catalogue: every worker imports this file, and none
// needs the YAML parser.
import { HTTP_METHODS, contract } from '../../openapi/bundle.ts'
import { addContractFormats } from '../../openapi/formats.ts'

export interface CheckedResponse {
  method: string
  path: string
  status: number
  headers: Record<string, string>
  body: unknown
  text: string
}

export interface CheckResult {
  /** The operationId, or 'METHOD /path' for a route the contract does not have. */
  operation: string
  violations: string[]
}

type Json = Record<string, any>
interface Route {
  template: string
  pattern: RegExp
  literalSegments: number
}

/** What errors look like in the checked document: their media type, and the schema of an error of a route it does not document. */
export interface ErrorShape {
  mediaType: string
  /** Pointer to the error schema in the document; undefined: any body of that media type. */
  schema?: string
}

const PROBLEM_ERRORS: ErrorShape = { mediaType: 'application/problem+json', schema: '#/components/schemas/Problem' }

/** What an operation documents about one status of its: the problem codes it may carry. */
export interface DocumentedStatus {
  operation: string
  /** The documented response statuses of the operation. */
  statuses: string[]
  /** Undefined when the operation does not document this status; else the problem codes its `code` allows. */
  codes: string[] | undefined
}

/** A documented response with its `$ref`s followed: where it is in the bundle, and its headers. */
interface DocumentedResponse {
  pointer: string
  object: Json
  headers: { name: string; header: Json; pointer: string }[]
}

/** The checks against one OpenAPI document: the bundle, or a profile's own (whose errors have their own shape). */
export function createResponseCheck(bundle: Json, errors: ErrorShape = PROBLEM_ERRORS) {
  const BUNDLE_ID = 'urn:authconform:bundle'
  // validateSchema off: the bundle is an OpenAPI document, not a schema — the 2020-12
  // meta-schema knows none of its top-level keys, so checking it there proves nothing, yet
  // compiling and running the meta-schema cost each worker ~0.1 s (the bundle is linted
  // by redocly instead).
  const ajv = addContractFormats(new Ajv2020({ strict: false, allErrors: true, validateSchema: false }))
  ajv.addSchema(bundle, BUNDLE_ID)

  const routes: Route[] = Object.keys(bundle.paths ?? {})
    .map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
      literalSegments: template.split('/').filter((segment) => segment && !segment.startsWith('{')).length,
    }))
    // '/v1/sessions/current'-style literals win over '/v1/sessions/{id}'.
    .sort((a, b) => b.literalSegments - a.literalSegments)

  const validators = new Map<string, ValidateFunction>()

  /** Resolved once per operation and status: every request would otherwise walk the same pointers again. */
  const documentedResponses = new Map<string, DocumentedResponse>()

  function documentedResponse(template: string, method: string, statusKey: string): DocumentedResponse {
    const key = `${method} ${template} ${statusKey}`
    let documented = documentedResponses.get(key)
    if (!documented) {
      const [pointer, object] = resolve(`#/paths/${escapePointer(template)}/${method}/responses/${statusKey}`)
      const headers = Object.entries<Json>(object.headers ?? {}).map(([name, reference]) => {
        const [headerPointer, header] = resolve(reference.$ref ?? '', reference)
        return { name, header, pointer: headerPointer }
      })
      documented = { pointer, object, headers }
      documentedResponses.set(key, documented)
    }
    return documented
  }

  function checkResponse(response: CheckedResponse): CheckResult {
    const method = response.method.toLowerCase()
    const route = routes.find(({ pattern }) => pattern.test(response.path))
    const operation: Json | undefined = route ? (bundle.paths as Json)[route.template]?.[method] : undefined
    if (!route || !operation) {
      return { operation: `${response.method} ${response.path}`, violations: checkUndocumentedRoute(response) }
    }
    const operationId = String(operation.operationId ?? `${response.method} ${route.template}`)
    const statusKey = statusKeyFor(operation.responses ?? {}, response.status)
    if (!statusKey) {
      const documented = Object.keys(operation.responses ?? {}).join(', ')
      const violation = `${response.method} ${response.path} → status ${response.status} is not documented (documented: ${documented})`
      return { operation: operationId, violations: [violation] }
    }
    const documented = documentedResponse(route.template, method, statusKey)
    const violations = [
      ...checkBody(response, documented.object, `${documented.pointer}/content/{mediaType}/schema`),
      ...checkHeaders(response, documented.headers),
    ].map((violation) => `${response.method} ${response.path} → ${response.status}: ${violation}`)
    return { operation: operationId, violations }
  }

  /**
   * The problem codes an operation documents for a status (the error response's `code`
   * enum), to hold a case to what the contract states. Undefined for a route the contract
   * does not have (unknown routes answer by the catalogue's rules alone, ERR-014, ERR-019).
   */
  function documentedStatus(method: string, path: string, status: number): DocumentedStatus | undefined {
    const lowerMethod = method.toLowerCase()
    const route = routes.find(({ pattern }) => pattern.test(path))
    const operation: Json | undefined = route ? (bundle.paths as Json)[route.template]?.[lowerMethod] : undefined
    if (!route || !operation) return undefined
    const responses: Json = operation.responses ?? {}
    const statusKey = statusKeyFor(responses, status)
    const operationId = String(operation.operationId ?? `${method.toUpperCase()} ${route.template}`)
    if (!statusKey) return { operation: operationId, statuses: Object.keys(responses), codes: undefined }
    const schema = documentedResponse(route.template, lowerMethod, statusKey).object.content?.[errors.mediaType]?.schema
    return { operation: operationId, statuses: Object.keys(responses), codes: schema ? (codeEnum(schema) ?? []) : [] }
  }

  /** The `code` values a problem schema allows: the intersection of every enum on the way (allOf, $ref). */
  function codeEnum(schema: Json): string[] | undefined {
    const node = schema.$ref ? lookup(schema.$ref) : schema
    if (!node) return undefined
    const own = node.properties?.code && (node.properties.code.enum ?? codeEnum(node.properties.code))
    const found = [own, ...(node.allOf ?? []).map(codeEnum)].filter((codes): codes is string[] => Array.isArray(codes))
    if (node.enum && !node.properties) found.push(node.enum)
    return found.length === 0 ? undefined : found.reduce((all, codes) => all.filter((code) => codes.includes(code)))
  }

  /** No operation matches: an error must still be a contract problem (ERR-001, ERR-014), or the profile's error. */
  function checkUndocumentedRoute(response: CheckedResponse): string[] {
    if (response.status < 400) return []
    const errorOnly = { content: { [errors.mediaType]: {} } }
    const violations = checkBody(response, errorOnly, errors.schema ?? '')
    return violations.map((violation) => `${response.method} ${response.path} (no such operation) → ${response.status}: ${violation}`)
  }

  /** `schemaPointer`: where the body's schema is in the bundle (default: the response's own). */
  function checkBody(response: CheckedResponse, responseObject: Json, schemaPointer: string): string[] {
    const content: Json = responseObject.content ?? {}
    const mediaTypes = Object.keys(content)
    const contentType = (response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
    if (mediaTypes.length === 0) {
      return response.text === '' ? [] : [`a body was sent where none is documented (${contentType || 'no content type'})`]
    }
    if (response.status >= 400 && contentType !== errors.mediaType) {
      return [`an error must be ${errors.mediaType}, got ${contentType || 'no content type'}`]
    }
    const mediaType = mediaTypes.find((candidate) => candidate.toLowerCase() === contentType)
    if (!mediaType) return [`content type ${contentType || '(none)'} is not documented (documented: ${mediaTypes.join(', ')})`]
    if (!/json/.test(mediaType)) return []
    if (response.text === '') return ['empty body, a JSON body is documented']
    // A body left as text did not parse; a JSON string (Hasura's sign-out answers "OK") did.
    if (typeof response.body === 'string' && !parsesAsJson(response.text)) return ['the body is not valid JSON']
    // An error shape without a schema: any JSON body.
    if (schemaPointer === '') return []
    const validate = validator(schemaPointer.replace('{mediaType}', escapePointer(mediaType)))
    if (validate(response.body)) return []
    return (validate.errors ?? []).map((error) => `body${error.instancePath} ${error.message}${paramsHint(error.params)}`)
  }

  function checkHeaders(response: CheckedResponse, headers: DocumentedResponse['headers']): string[] {
    const violations: string[] = []
    for (const { name, header, pointer: headerPointer } of headers) {
      const value = response.headers[name.toLowerCase()]
      if (value === undefined) {
        if (header.required) violations.push(`header ${name} is required but missing`)
        continue
      }
      if (!header.schema) continue
      const validate = validator(`${headerPointer}/schema`)
      const typed = coerceHeader(value, header.schema.type)
      if (typed === undefined) {
        violations.push(`header ${name}: '${value}' is not of type ${header.schema.type}`)
      } else if (!validate(typed)) {
        for (const error of validate.errors ?? []) violations.push(`header ${name}: '${value}' ${error.message}`)
      }
    }
    return violations
  }


  function validator(pointer: string): ValidateFunction {
    let validate = validators.get(pointer)
    if (!validate) {
      // Compiled once per schema the pointer leads to: the bundle's response schemas are bare
      // `$ref`s to ~20 components (Problem behind most of them), and each compile costs ms.
      const target = schemaBehind(pointer)
      validate = validators.get(target) ?? ajv.compile({ $ref: `${BUNDLE_ID}${target}` })
      validators.set(target, validate)
      validators.set(pointer, validate)
    }
    return validate
  }

  /** Follows `$ref`s that are all there is to a schema (a sibling keyword would add to it). */
  function schemaBehind(pointer: string): string {
    return followRefs(pointer, lookup(pointer), (node) => Object.keys(node).length === 1)[0]
  }

  /** Follows `$ref`s inside the bundle; returns the final pointer and object. */
  function resolve(pointer: string, fallback?: Json): [string, Json] {
    const [current, node] = followRefs(pointer, pointer ? lookup(pointer) : fallback, () => true)
    if (!node) throw new Error(`the bundle has no ${current}`)
    return [current, node]
  }

  /** From `node` (at `pointer`), follows its `$ref` chain for as long as `follows` allows (at most 10 hops). */
  function followRefs(pointer: string, start: Json | undefined, follows: (node: Json) => boolean): [string, Json | undefined] {
    let current = pointer
    let node = start
    for (let hops = 0; node && typeof node.$ref === 'string' && follows(node) && hops < 10; hops += 1) {
      current = node.$ref
      node = lookup(current)
    }
    return [current, node]
  }

  function lookup(pointer: string): Json | undefined {
    let node: any = bundle
    for (const part of pointer.replace(/^#\/?/, '').split('/')) {
      if (part === '') continue
      node = node?.[part.replaceAll('~1', '/').replaceAll('~0', '~')]
    }
    return node
  }

  return {
    check: checkResponse,
    documentedStatus,
    /** The path template a concrete path matches, if any. */
    templateOf: (path: string): string | undefined => routes.find(({ pattern }) => pattern.test(path))?.template,
  }
}

const contractCheck = createResponseCheck(contract)

/** Every response against the contract's bundle. */
export const checkResponse = contractCheck.check

/** What the contract's bundle documents for an operation's status (the problem codes a case may assert). */
export const documentedStatus = contractCheck.documentedStatus

/** The path templates of the contract (/v1/users/{id}, …). */
export const contractPaths: readonly string[] = Object.keys(contract.paths ?? {})

/**
 * The methods the contract gives the path, as an `Allow` header lists them (ERR-019): its
 * operations' methods, HEAD wherever GET is, and OPTIONS; undefined for a path that is
 * no path of the contract.
 */
export function allowedMethodsOf(path: string): string[] | undefined {
  const template = contractCheck.templateOf(path)
  if (!template) return undefined
  const item = (contract.paths as Json)[template] as Json
  const methods = new Set(HTTP_METHODS.filter((method) => item[method] !== undefined).map((method) => method.toUpperCase()))
  if (methods.has('GET')) methods.add('HEAD')
  return [...methods.add('OPTIONS')]
}

function statusKeyFor(responses: Json, status: number): string | undefined {
  const exact = String(status)
  const range = `${exact[0]}XX`
  return [exact, range, 'default'].find((key) => key in responses)
}

function coerceHeader(value: string, type: unknown): unknown {
  if (type === 'integer' || type === 'number') {
    const number = /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN
    return Number.isNaN(number) ? undefined : number
  }
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : undefined
  return value
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1')
}

function paramsHint(params: Record<string, unknown>): string {
  const detail = params.additionalProperty ?? params.missingProperty ?? params.allowedValues
  return detail === undefined ? '' : ` (${Array.isArray(detail) ? detail.join(', ') : String(detail)})`
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
