// The mock's direction: a request in the profile's wire format, said as the contract's
// (for the contract app to answer); the contract's answer, said on the wire. The same
// field rules as verify's direction (outbound.ts), read the other way.
import { matchContract } from '../contract-operations.ts'
import { getAt, MISSING } from '../json-pointer.ts'
import type { ComposedCall, Profile, WireCall } from '../profile.ts'
import { credentialFromWire } from './credentials.ts'
import { applyRules, carryBody, carryQuery, constantKeys, constantsHold, writeConstants } from './fields.ts'
import type { HttpAnswer, HttpRequest } from './message.ts'
import { emptyDraft, type Draft } from './places.ts'
import { problemToWire, PROBLEM_CONTENT_TYPE, withoutBodyHeaders } from './problems.ts'
import { lifetimesOf } from './outbound.ts'

export type Arrival =
  /** A wire call of the profile, said as the contract's request. */
  | { kind: 'call'; call: WireCall; contract: HttpRequest }
  /** A composed call: its steps' contract requests come from `stepRequests`. */
  | { kind: 'composed'; composed: ComposedCall; wire: Draft }
  /** The contract's own call (identity routes, the control extension): passed on unchanged. */
  | { kind: 'contract' }
  /** Nothing of the profile's wire format. */
  | { kind: 'unknown' }

const OWN_HEADERS = new Set(['authorization', 'content-length', 'host', 'transfer-encoding'])

export function requestFromWire(profile: Profile, request: HttpRequest): Arrival {
  const draft: Draft = { params: {}, query: request.query, headers: request.headers, body: request.body }
  for (const composed of profile.compositions) {
    const params = composed.method === request.method.toUpperCase() ? composed.template.match(request.path) : undefined
    if (params) return { kind: 'composed', composed, wire: { ...draft, params } }
  }
  let unreadable: { call: WireCall; params: Record<string, string> } | undefined
  for (const call of profile.wireCalls) {
    if (call.method !== request.method.toUpperCase()) continue
    const params = call.template.match(request.path)
    if (!params) continue
    if (!constantsHold(call.request.constants, { ...draft, params })) {
      if (request.body.kind === 'bytes') unreadable ??= { call, params }
      continue
    }
    return { kind: 'call', call, contract: contractRequest(profile, call, { ...draft, params }) }
  }
  // Which of the calls it is the body would say (Jexia's POST /auth, apk or ums), but it is not
  // JSON: the first one's contract operation reads the bytes and answers them as the contract does.
  if (unreadable) return { kind: 'call', call: unreadable.call, contract: contractRequest(profile, unreadable.call, { ...draft, params: unreadable.params }) }
  const match = matchContract(request.method, request.path)
  if (match.kind === 'operation') return profile.route(match.operation.operationId).kind === 'contract' ? { kind: 'contract' } : { kind: 'unknown' }
  return profile.identity ? { kind: 'contract' } : { kind: 'unknown' }
}

function contractRequest(profile: Profile, call: WireCall, wire: Draft): HttpRequest {
  const contract = emptyDraft()
  const consumed = applyRules(call.request.fields, 'toContract', wire, contract, lifetimesOf(profile))
  for (const key of constantKeys(call.request.constants)) consumed.add(key)
  for (const name of call.operation.template.names) contract.params[name] ??= wire.params[name] ?? ''
  // Bytes that are not JSON go to the contract as they are, whatever the entry says: its
  // operation's own reading of them (400, or a defect's answer) is the answer.
  if (wire.body.kind === 'bytes') contract.body = wire.body
  else if (call.request.carry) carryBody(wire, contract, consumed)
  if (call.request.carry) carryQuery(wire, contract, consumed)
  for (const [name, value] of Object.entries(wire.headers)) {
    if (!OWN_HEADERS.has(name) && !consumed.has(`header:${name}`)) contract.headers[name] ??= value
  }
  const credential = credentialFromWire(profile, wire, consumed)
  if (credential) {
    contract.headers.authorization = credential.authorization
    if (credential.from.startsWith('header:') && credential.from !== 'header:authorization') delete contract.headers[credential.from.slice('header:'.length)]
    if (credential.from.startsWith('query:')) delete contract.query[credential.from.slice('query:'.length)]
  }
  // A body built from other places, or JSON to a system that reads JSON under any media type, is JSON to the contract.
  if (contract.body.kind === 'json' && (wire.body.kind !== 'json' || profile.document.request_media === 'any')) contract.headers['content-type'] = 'application/json'
  if (contract.body.kind === 'none') delete contract.headers['content-type']
  return {
    method: call.operation.method.toUpperCase(),
    path: call.operation.template.fill(contract.params),
    query: contract.query,
    headers: contract.headers,
    body: contract.body,
  }
}

/**
 * The contract requests of one step of a composed call: one, or with `each` one per element
 * of the wire array (read as the body). A string says why the wire request cannot be read.
 */
export function stepRequests(profile: Profile, step: ComposedCall['steps'][number], wire: Draft): HttpRequest[] | string {
  if (step.each === undefined) return [contractRequest(profile, step.call, wire)]
  const elements = wire.body.kind === 'json' ? getAt(wire.body.value, step.each) : MISSING
  if (!Array.isArray(elements)) return `the body${step.each ? ` at ${step.each}` : ''} must be a JSON array`
  return elements.map((element) => contractRequest(profile, step.call, { ...wire, body: { kind: 'json', value: element } }))
}

/** The answers to a step run for each element, said on the wire as one array. */
export function collectedToWire(profile: Profile, call: WireCall, answers: HttpAnswer[]): HttpAnswer {
  const said = answers.map((answer) => answerToWire(profile, call, answer))
  const values = said.map((answer) => (answer.body.kind === 'json' ? answer.body.value : null))
  const first = said[0]
  return {
    status: call.response.status ?? call.operation.successStatus,
    headers: { ...(first ? withoutBodyHeaders(first.headers) : {}), 'content-type': 'application/json' },
    body: { kind: 'json', value: values },
  }
}

/** The contract's answer to a translated call, said on the wire. */
export function answerToWire(profile: Profile, call: WireCall, answer: HttpAnswer): HttpAnswer {
  if (answer.status >= 400) return errorToWire(profile, answer)
  if (answer.status !== call.operation.successStatus) return answer
  const contract: Draft = { ...emptyDraft(), headers: answer.headers, body: answer.body }
  const wire = emptyDraft()
  const consumed = applyRules(call.response.fields, 'toWire', contract, wire, lifetimesOf(profile))
  writeConstants(call.response.constants, wire)
  if (call.response.carry) carryBody(contract, wire, consumed)
  const headers = { ...withoutBodyHeaders(answer.headers), ...wire.headers }
  if (wire.body.kind !== 'none') headers['content-type'] = 'application/json'
  return { status: call.response.status ?? answer.status, headers, body: wire.body }
}

/** A contract problem in the profile's envelope (any other answer unchanged). */
export function errorToWire(profile: Profile, answer: HttpAnswer): HttpAnswer {
  const mediaType = (answer.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  return mediaType === PROBLEM_CONTENT_TYPE ? problemToWire(profile, answer) : answer
}
