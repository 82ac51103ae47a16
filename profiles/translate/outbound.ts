// Verify's direction: a request the suites wrote against the contract, said on the
// profile's wire; the target's answer, read back as the contract's. What the wire call has
// no place for makes the request inexpressible (InexpressibleError): the case is not
// applicable under the profile, with that reason.
import { matchContract, type ContractOperation } from '../contract-operations.ts'
import { InexpressibleError } from '../profile-error.ts'
import type { Profile, WireCall } from '../profile.ts'
import { credentialToWire } from './credentials.ts'
import { applyRules, carryBody, carryQuery, writeConstants, type RuleContext } from './fields.ts'
import { type HttpAnswer, type HttpRequest } from './message.ts'
import { emptyDraft, finishBasic, type Draft } from './places.ts'
import { problemFromWire, withoutBodyHeaders } from './problems.ts'

export interface Outbound {
  /** What goes on the wire. */
  wire: HttpRequest
  /** The contract request it stands for (its path parameters read), for answers that repeat a value of it. */
  contract?: Draft
  /** The contract operation the request named, if any. */
  operation?: ContractOperation
  /** The wire call it became (undefined: sent as the contract's own call, or a path of no operation). */
  call?: WireCall
}

export interface Inbound extends HttpAnswer {
  /** For a translated error: every contract code the wire answer may stand for. */
  codes?: string[]
}

/** Headers the translation sets itself. */
const OWN_HEADERS = new Set(['authorization', 'content-type', 'content-length', 'host', 'transfer-encoding'])

export function requestToWire(profile: Profile, request: HttpRequest): Outbound {
  const match = matchContract(request.method, request.path)
  if (match.kind === 'none') return { wire: request }
  if (match.kind === 'path') {
    if (profile.identity) return { wire: request }
    throw new InexpressibleError(`profile ${profile.name} has no wire counterpart of ${request.method.toUpperCase()} on the contract's path ${match.template}`)
  }
  const { operation, params } = match
  const route = profile.route(operation.operationId)
  if (route.kind === 'contract') return { wire: request, operation }
  if (route.kind === 'unmapped') throw new InexpressibleError(`profile ${profile.name} lacks ${operation.operationId}: ${route.reason}`)
  const { call } = route
  const contract: Draft = { params, query: request.query, headers: request.headers, body: request.body }
  const wire = emptyDraft()
  const consumed = applyRules(call.request.fields, 'toWire', contract, wire, lifetimesOf(profile))
  writeConstants(call.request.constants, wire)
  for (const name of call.template.names) if (wire.params[name] === undefined && params[name] !== undefined) wire.params[name] = params[name]
  carryRequestBody(profile, call, contract, wire, consumed)
  const leftOver = Object.keys(request.query).filter((name) => !consumed.has(`query:${name}`))
  if (call.request.carry) carryQuery(contract, wire, consumed)
  else if (leftOver.length > 0) throw inexpressible(profile, call, `query parameter ${leftOver[0]}`)
  for (const [name, value] of Object.entries(request.headers)) if (!OWN_HEADERS.has(name)) wire.headers[name] ??= value
  credentialToWire(profile, request.headers.authorization, wire)
  finishBasic(wire)
  if (wire.body.kind !== 'none') wire.headers['content-type'] = request.headers['content-type'] ?? 'application/json'
  return {
    wire: { method: call.method, path: call.template.fill(wire.params), query: wire.query, headers: wire.headers, body: wire.body },
    contract,
    operation,
    call,
  }
}

function carryRequestBody(profile: Profile, call: WireCall, contract: Draft, wire: Draft, consumed: Set<string>): void {
  const { body } = contract
  if (body.kind === 'none') return
  if (body.kind === 'bytes') {
    // Bytes that are no JSON (a malformed body on purpose) travel as they are, where the call takes a body.
    if (!call.request.jsonBody) throw inexpressible(profile, call, 'a request body that is not JSON')
    wire.body = body
    return
  }
  const members = body.value !== null && typeof body.value === 'object' && !Array.isArray(body.value) ? Object.keys(body.value) : ['']
  const left = members.filter((name) => !consumed.has(`body:${name}`) && !consumed.has('body:'))
  if (left.length === 0) return
  if (!call.request.carry || !call.request.jsonBody) throw inexpressible(profile, call, left[0] === '' ? 'the request body' : `body field /${left[0]}`)
  carryBody(contract, wire, consumed)
}

export function answerToContract(profile: Profile, outbound: Outbound, answer: HttpAnswer): Inbound {
  const { call, operation } = outbound
  if (!call) {
    // The contract's own call: as it came, unless it is an error of a route no operation has
    // on a profile with its own envelope (an unknown path).
    if (operation || profile.identity) return answer
    return problemIn(profile, answer)
  }
  const wireSuccess = call.response.status ?? call.operation.successStatus
  if (answer.status === wireSuccess) {
    const wire: Draft = { ...emptyDraft(), headers: answer.headers, body: answer.body }
    const contract = emptyDraft()
    const consumed = applyRules(call.response.fields, 'toContract', wire, contract, { ...lifetimesOf(profile), ...(outbound.contract && { request: outbound.contract }) })
    if (call.response.carry) carryBody(wire, contract, consumed)
    const headers = withoutBodyHeaders(answer.headers)
    if (contract.body.kind !== 'none') headers['content-type'] = 'application/json'
    return { status: call.operation.successStatus, headers, body: contract.body }
  }
  return problemIn(profile, answer)
}

function problemIn(profile: Profile, answer: HttpAnswer): Inbound {
  const problem = problemFromWire(profile, answer)
  return problem ? { ...problem.answer, codes: problem.codes } : answer
}

export function lifetimesOf(profile: Profile): RuleContext {
  const tokens = profile.document.tokens
  return { lifetimes: { access: tokens?.access?.lifetime, refresh: tokens?.refresh?.lifetime } }
}

function inexpressible(profile: Profile, call: WireCall, what: string): InexpressibleError {
  return new InexpressibleError(`profile ${profile.name}'s ${call.operationId} call (${call.method} ${call.template.text}) has no place for ${what}`)
}
