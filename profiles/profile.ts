// A loaded profile compiled for translation: each contract operation's route (the
// contract's own call, a wire call, or unmapped with the reason), the wire calls in the
// order the mock tries them, the semantic options with their defaults, and the facts verify
// needs when the target has no discovery document.
import { contractOperation, contractOperations, type ContractOperation } from './contract-operations.ts'
import { CONTRACT_SEMANTICS, type Composition, type ProfileDocument, type RequestMapping, type ResolvedSemantics, type ResponseMapping, type Source } from './format.ts'
import type { Json } from './json-pointer.ts'
import { loadProfile, type LoadedProfile } from './load-profile.ts'
import { parseLocation, type Location } from './locations.ts'
import { pathTemplate, valueFormat, type PathTemplate, type ValueFormat } from './templates.ts'

export interface FieldRule {
  /** Where the contract side has it. */
  contract: Location
  source: FieldSource
}

export type FieldSource =
  | { kind: 'place'; wire: Location; format?: ValueFormat; each?: FieldRule[]; carry: boolean; keyId?: Location }
  | { kind: 'const'; value: Json }
  | { kind: 'lifetime'; which: 'access' | 'refresh' }
  | { kind: 'request'; at: Location }

export interface Constant {
  wire: Location
  value: Json
}

export interface WireCall {
  operationId: string
  operation: ContractOperation
  method: string
  template: PathTemplate
  note?: string
  request: { fields: FieldRule[]; constants: Constant[]; carry: boolean; jsonBody: boolean; query?: 'jexia' | 'all' }
  response: { status?: number; fields: FieldRule[]; constants: Constant[]; carry: boolean }
}

export interface ComposedCall {
  method: string
  template: PathTemplate
  note?: string
  steps: { call: WireCall; each?: string }[]
}

export type Route = { kind: 'contract' } | { kind: 'unmapped'; reason: string } | { kind: 'wire'; call: WireCall }

export interface Profile extends LoadedProfile {
  title: string
  semantics: ResolvedSemantics
  /** Every operation's route, by operationId. */
  route(operationId: string): Route
  /** The wire calls, literal paths first (the order the mock tries them in). */
  wireCalls: readonly WireCall[]
  /** The compositions (the mock tries them before the wire calls). */
  compositions: readonly ComposedCall[]
  /** True when every operation is the contract's own call (the identity profile). */
  identity: boolean
  /**
   * True when the system knows an API key by one string (a key format without {id}, a field
   * with key_id, semantics key_secret none): the mock hands keys out as `<id>.<secret>`.
   */
  keyStrings: boolean
}

export function compileProfile(loaded: LoadedProfile): Profile {
  const document = loaded.document
  const routes = new Map<string, Route>()
  for (const operation of contractOperations()) routes.set(operation.operationId, routeOf(document, operation))
  const wireCalls = [...routes.values()]
    .flatMap((route) => (route.kind === 'wire' ? [route.call] : []))
    .sort((a, b) => b.template.literals - a.template.literals || b.request.constants.length - a.request.constants.length)
  return {
    ...loaded,
    title: document.title,
    semantics: { ...CONTRACT_SEMANTICS, ...document.semantics },
    route: (operationId) => routes.get(operationId) ?? { kind: 'unmapped', reason: `'${operationId}' is no operation of the contract` },
    wireCalls,
    compositions: (document.compositions ?? []).map(compileComposition),
    identity: [...routes.values()].every((route) => route.kind === 'contract'),
    keyStrings:
      document.semantics?.key_secret === 'none' ||
      (document.auth?.api_key !== undefined && !document.auth.api_key.format.includes('{id}')) ||
      wireCalls.some((call) => [...call.request.fields, ...call.response.fields].some((rule) => rule.source.kind === 'place' && rule.source.keyId !== undefined)),
  }
}

/** Loads and compiles: what `--profile NAME|FILE` gives. */
export function profileNamed(nameOrFile: string): Profile {
  return compileProfile(loadProfile(nameOrFile))
}

function routeOf(document: ProfileDocument, operation: ContractOperation): Route {
  // The test-control extension is authconform's own, whatever the wire format: a target
  // offers it (or not) as the contract describes it.
  if (operation.tags.includes('control')) return { kind: 'contract' }
  const entry = document.operations?.[operation.operationId]
  if (!entry) {
    return document.unlisted === 'contract'
      ? { kind: 'contract' }
      : { kind: 'unmapped', reason: `profile ${document.profile} does not map ${operation.operationId}` }
  }
  if ('unmapped' in entry) return { kind: 'unmapped', reason: entry.unmapped }
  if ('contract' in entry) return { kind: 'contract' }
  return { kind: 'wire', call: compileCall(operation, entry.call, entry.request, entry.response, entry.note) }
}

function compileCall(operation: ContractOperation, callText: string, request: RequestMapping = {}, response: ResponseMapping = {}, note?: string): WireCall {
  const [method, path] = callText.split(' ') as [string, string]
  const fields = compileFields(request.fields ?? {})
  const constants = compileConstants(request.constants ?? {})
  const carry = request.carry ?? true
  const wireInBody = [...fields.map((rule) => rule.source), ...constants.map((constant) => ({ kind: 'place', wire: constant.wire }))].some(
    (source) => source.kind === 'place' && source.wire.kind === 'body',
  )
  return {
    operationId: operation.operationId,
    operation,
    method,
    template: pathTemplate(path),
    ...(note !== undefined && { note }),
    request: { fields, constants, carry, jsonBody: wireInBody || (carry && operation.hasBody), ...(request.query !== undefined && { query: request.query }) },
    response: {
      ...(response.status !== undefined && { status: response.status }),
      fields: compileFields(response.fields ?? {}),
      constants: compileConstants(response.constants ?? {}),
      carry: response.carry ?? false,
    },
  }
}

/**
 * A composition as the mock runs it: each step a wire call of its own operation on the
 * composition's call (its request rules read the wire request, or with `each` every element
 * of a wire array), the answer said from the first step's (collected, with `each`).
 */
function compileComposition(composition: Composition): ComposedCall {
  const steps = composition.steps.map((step) => ({
    call: compileCall(contractOperation(step.operation), composition.call, step.request, composition.response, composition.note),
    ...(step.each !== undefined && { each: step.each }),
  }))
  return { method: steps[0]!.call.method, template: steps[0]!.call.template, ...(composition.note !== undefined && { note: composition.note }), steps }
}

function compileFields(fields: Record<string, Source>): FieldRule[] {
  return Object.entries(fields).map(([contract, source]) => ({ contract: parseLocation(contract), source: compileSource(source) }))
}

function compileSource(source: Source): FieldSource {
  if (typeof source === 'string') return { kind: 'place', wire: parseLocation(source), carry: false }
  if ('const' in source) return { kind: 'const', value: source.const as Json }
  if ('lifetime' in source) return { kind: 'lifetime', which: source.lifetime }
  if ('request' in source) return { kind: 'request', at: parseLocation(source.request) }
  return {
    kind: 'place',
    wire: parseLocation(source.at),
    ...(source.format !== undefined && { format: valueFormat(source.format) }),
    ...(source.each !== undefined && { each: compileFields(source.each) }),
    ...(source.key_id !== undefined && { keyId: parseLocation(source.key_id) }),
    carry: source.carry ?? false,
  }
}

function compileConstants(constants: Record<string, unknown>): Constant[] {
  return Object.entries(constants).map(([wire, value]) => ({ wire: parseLocation(wire), value: value as Json }))
}
