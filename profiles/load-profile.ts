// Reads a profile by name (a built-in, profiles/<name>/profile.yaml) or by file, validates
// it against profiles/profile.schema.json and the contract (operationIds, path parameters,
// the lifetimes a profile without discovery must state), and loads its own OpenAPI
// document. Every mistake is one ProfileError naming the file, the line, the JSON pointer
// and what is wrong.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, isAbsolute, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import { LineCounter, parseDocument } from 'yaml'
import { contract, operations, type OpenApiDocument } from '../openapi/bundle.ts'
import type { ProfileDocument } from './format.ts'
import { ProfileError, UnknownProfileError } from './profile-error.ts'

export const PROFILES_DIR = fileURLToPath(new URL('.', import.meta.url))
const schema = JSON.parse(readFileSync(new URL('./profile.schema.json', import.meta.url), 'utf8'))
let validateDocument: ReturnType<Ajv2020['compile']> | undefined

export interface LoadedProfile {
  name: string
  /** The profile file as shown in messages (relative to the working directory when under it). */
  file: string
  /** The profile file, absolute. */
  path: string
  document: ProfileDocument
  /** The profile's own OpenAPI document (the contract bundle for `openapi: contract`). */
  openapi: OpenApiDocument
  /** Its fixture file (absolute), when it names one. */
  fixtures?: string
}

/** The built-in profiles: the folders of profiles/ that hold a profile.yaml. */
export function builtInProfiles(): string[] {
  return readdirSync(PROFILES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(resolve(PROFILES_DIR, entry.name, 'profile.yaml')))
    .map((entry) => entry.name)
    .sort()
}

/** A NAME is a built-in profile; anything with a path separator or a YAML/JSON extension is a FILE. */
export function profilePath(nameOrFile: string): string {
  if (/[/\\]|\.(ya?ml|json)$/i.test(nameOrFile)) {
    const file = resolve(nameOrFile)
    if (!existsSync(file)) throw new UnknownProfileError(`profile file ${nameOrFile} does not exist`)
    return file
  }
  const file = resolve(PROFILES_DIR, nameOrFile, 'profile.yaml')
  if (!/^[a-z][a-z0-9-]*$/.test(nameOrFile) || !existsSync(file)) {
    throw new UnknownProfileError(`no profile '${nameOrFile}' (built-in: ${builtInProfiles().join(', ')}; or give a file)`)
  }
  return file
}

export function loadProfile(nameOrFile: string): LoadedProfile {
  const path = profilePath(nameOrFile)
  const shown = isAbsolute(relative(process.cwd(), path)) || relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path)
  const text = readFileSync(path, 'utf8')
  const lines = new LineCounter()
  const parsed = parseDocument(text, { lineCounter: lines, uniqueKeys: true })
  const fail = (pointer: string, problem: string): never => {
    throw new ProfileError(shown, pointer, problem, lineOf(parsed, lines, pointer))
  }
  if (parsed.errors.length > 0) {
    const [error] = parsed.errors
    const line = error!.linePos?.[0]?.line
    throw new ProfileError(shown, '', `not valid YAML (${error!.message.split('\n')[0]})`, line)
  }
  const document = parsed.toJS({ maxAliasCount: 1000 }) as unknown
  validateDocument ??= new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema)
  if (!validateDocument(document)) {
    const { pointer, problem } = describeSchemaError(validateDocument.errors ?? [])
    fail(pointer, problem)
  }
  const profile = document as ProfileDocument
  checkAgainstContract(profile, fail)
  const fixtures = profile.fixtures === undefined ? undefined : resolve(dirname(path), profile.fixtures)
  if (fixtures !== undefined && !existsSync(fixtures)) fail('/fixtures', `${profile.fixtures} does not exist (next to the profile)`)
  return { name: profile.profile, file: shown, path, document: profile, openapi: loadOpenApi(profile, dirname(path), fail), ...(fixtures && { fixtures }) }
}

/** The most specific of ajv's errors (oneOf reports every branch): the deepest, not a combinator's summary. */
function describeSchemaError(errors: ErrorObject[]): { pointer: string; problem: string } {
  const specific = errors.filter((error) => !['oneOf', 'anyOf', 'not', 'if'].includes(error.keyword))
  const candidates = specific.length > 0 ? specific : errors
  const pointerOf = (error: ErrorObject) => {
    const property = error.params.propertyName ?? error.params.additionalProperty
    return property === undefined ? error.instancePath : `${error.instancePath}/${escape(String(property))}`
  }
  const deepest = [...candidates].sort((a, b) => depth(pointerOf(b)) - depth(pointerOf(a)))[0]!
  const detail = deepest.params.allowedValues !== undefined ? ` (${(deepest.params.allowedValues as unknown[]).join(', ')})` : ''
  const problem =
    deepest.keyword === 'propertyNames' ? 'is not a valid name here'
    : deepest.keyword === 'additionalProperties' ? 'is not a property the format knows here'
    : `${deepest.message ?? 'is invalid'}${detail}`
  return { pointer: pointerOf(deepest), problem }
}

function depth(pointer: string): number {
  return pointer.split('/').length
}

function checkAgainstContract(profile: ProfileDocument, fail: (pointer: string, problem: string) => never): void {
  const known = new Map(operations().map((operation) => [operation.operationId, operation]))
  for (const [operationId, entry] of Object.entries(profile.operations ?? {})) {
    const at = `/operations/${operationId}`
    const operation = known.get(operationId)
    if (!operation) fail(at, `'${operationId}' is no operation of the contract`)
    if (!('call' in entry)) continue
    const contractParams = new Set([...operation!.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!))
    const fields = entry.request?.fields ?? {}
    const filled = new Set([
      ...[...contractParams].filter((name) => !(`{${name}}` in fields)),
      ...Object.values(fields).flatMap((source) => {
        const location = typeof source === 'string' ? source : 'at' in source ? source.at : ''
        return /^\{(.+)\}$/.test(location) ? [location.slice(1, -1)] : []
      }),
      // A constant may fill one too (the datasets platform's company in every path).
      ...Object.keys(entry.request?.constants ?? {}).flatMap((location) => (/^\{(.+)\}$/.test(location) ? [location.slice(1, -1)] : [])),
    ])
    for (const [, name] of entry.call.matchAll(/\{([^}]+)\}/g)) {
      if (!filled.has(name!)) fail(`${at}/call`, `the path parameter {${name}} is filled by nothing (the contract's are ${[...contractParams].map((p) => `{${p}}`).join(', ') || 'none'})`)
    }
    for (const key of Object.keys(fields)) {
      if (/^\{.+\}$/.test(key) && !contractParams.has(key.slice(1, -1))) fail(`${at}/request/fields/${escape(key)}`, `${operationId} has no path parameter ${key}`)
    }
  }
  for (const [index, composition] of (profile.compositions ?? []).entries()) {
    for (const [step, { operation }] of composition.steps.entries()) {
      if (!known.has(operation)) fail(`/compositions/${index}/steps/${step}/operation`, `'${operation}' is no operation of the contract`)
    }
  }
  for (const [scheme, spec] of Object.entries(profile.auth ?? {})) {
    if (spec.header !== undefined && spec.query !== undefined) fail(`/auth/${scheme}`, 'takes a header or a query parameter, not both')
  }
  const unlistedUnmapped = (profile.unlisted ?? 'unmapped') === 'unmapped'
  const wired = (operationId: string) => {
    const entry = profile.operations?.[operationId]
    return entry ? !('unmapped' in entry) : !unlistedUnmapped
  }
  if (!wired('getAuthConfiguration')) {
    if (profile.tokens?.access?.lifetime === undefined) fail('/tokens', 'without getAuthConfiguration the access token lifetime must be stated (tokens/access/lifetime)')
    if (profile.tokens?.refresh?.lifetime === undefined && profile.semantics?.refresh !== 'none') {
      fail('/tokens', 'without getAuthConfiguration the refresh token lifetime must be stated (tokens/refresh/lifetime)')
    }
  }
  const translated = Object.values(profile.operations ?? {}).some((entry) => 'call' in entry)
  if (translated && !profile.errors) fail('', "must have property 'errors' (the error envelope of its wire calls)")
}

function loadOpenApi(profile: ProfileDocument, dir: string, fail: (pointer: string, problem: string) => never): OpenApiDocument {
  if (profile.openapi === 'contract') return contract
  const file = resolve(dir, profile.openapi)
  if (!existsSync(file)) fail('/openapi', `${profile.openapi} does not exist (next to the profile)`)
  const parsed = parseDocument(readFileSync(file, 'utf8'))
  if (parsed.errors.length > 0) fail('/openapi', `${profile.openapi} is not valid YAML or JSON (${parsed.errors[0]!.message.split('\n')[0]})`)
  const document = parsed.toJS() as OpenApiDocument
  if (typeof document?.openapi !== 'string' || !document.openapi.startsWith('3.1') || typeof document.paths !== 'object') {
    fail('/openapi', `${profile.openapi} is not an OpenAPI 3.1 document (openapi: 3.1.x and paths)`)
  }
  const envelope = profile.errors?.schema
  if (envelope && lookup(document, envelope) === undefined) fail('/errors/schema', `${profile.openapi} has nothing at ${envelope}`)
  return document
}

/** The line of the node at `pointer` (or of its nearest existing ancestor). */
function lineOf(document: ReturnType<typeof parseDocument>, lines: LineCounter, pointer: string): number | undefined {
  const path = pointer.split('/').slice(1).map(unescape)
  for (let length = path.length; length >= 0; length -= 1) {
    const node = document.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined
    if (node?.range) return lines.linePos(node.range[0]).line
  }
  return undefined
}

export function lookup(document: unknown, pointer: string): unknown {
  let node: any = document
  for (const part of pointer.replace(/^#\/?/, '').split('/')) {
    if (part === '') continue
    node = node?.[unescape(part)]
  }
  return node
}

function escape(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1')
}

function unescape(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~')
}
