// Verify under a profile (`--profile`): the suites stay written against the contract, and
// this hook below `send` says each request on the profile's wire and reads the answer
// back as the contract's (profiles/translate). The target's answer is checked against the
// profile's own OpenAPI document. A request the profile cannot express ends the case as
// not applicable, with the reason; outside a case (a file's set-up) it stops the file's
// cases the same way (NotApplicableError, runner.ts).
import { contract, deref, type OpenApiObject } from '../../openapi/bundle.ts'
import { unmetBy, type Assumptions } from '../../profiles/applicability.ts'
import type { ContractOperation } from '../../profiles/contract-operations.ts'
import { profileNamed, type Profile } from '../../profiles/profile.ts'
import { InexpressibleError } from '../../profiles/profile-error.ts'
import { bodyBytes, bodyOf, type HttpRequest } from '../../profiles/translate/message.ts'
import { answerToContract, requestToWire } from '../../profiles/translate/outbound.ts'
import { requirementIds } from './case-ids.ts'
import { caseRunning, stopCase } from './case-context.ts'
import { createResponseCheck, type CheckResult, type CheckedResponse } from './contract-check.ts'
import { NotApplicableError } from './errors.ts'
import type { HttpResponse, SendOptions } from './http.ts'
import { targetConfig } from './target.ts'

let active: { profile: Profile; check: (response: CheckedResponse) => CheckResult } | null | undefined

/** The run's profile, loaded once per worker (undefined: the contract's own wire format). */
export function runProfile(): { profile: Profile; check: (response: CheckedResponse) => CheckResult } | undefined {
  if (active === undefined) {
    const run = targetConfig().profile
    if (!run) active = null
    else {
      const profile = profileNamed(run.file)
      const errors = profile.document.errors
      active = {
        profile,
        check: createResponseCheck(profile.openapi as never, errors ? { mediaType: errors.content_type.toLowerCase(), ...(errors.schema && { schema: errors.schema }) } : undefined).check,
      }
    }
  }
  return active ?? undefined
}

/** Ends the running case (or, outside one, the file's cases) as not applicable under the profile. */
export function notApplicableUnderProfile(reason: string): never {
  if (caseRunning()) stopCase('not_applicable', reason)
  throw new NotApplicableError(reason)
}

type WireSend = (options: SendOptions, check: (response: CheckedResponse) => CheckResult) => Promise<HttpResponse>

/** `send` under the run's profile: translate, send on the wire (checked against the profile's document), translate back. */
export async function sendUnderProfile(options: SendOptions, wireSend: WireSend): Promise<HttpResponse> {
  const { profile, check } = runProfile()!
  // A URL the target named (discovery's jwks_uri) is a path of the target like any other.
  const url = new URL(options.path, targetConfig().baseUrl)
  const request: HttpRequest = {
    method: options.method.toUpperCase(),
    path: url.origin === new URL(targetConfig().baseUrl).origin ? url.pathname : options.path,
    // A query string written into the path (raw requests) is the request's query too.
    query: {
      ...Object.fromEntries(url.searchParams),
      ...Object.fromEntries(Object.entries(options.query ?? {}).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]]))),
    },
    headers: Object.fromEntries(Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
    body: bodyOf(options.body),
  }
  let outbound: ReturnType<typeof requestToWire>
  try {
    outbound = requestToWire(profile, request)
  } catch (error) {
    if (error instanceof InexpressibleError) notApplicableUnderProfile(error.message)
    throw error
  }
  const { wire } = outbound
  // Sent exactly as it came when untranslated: a deliberately odd path or body keeps its bytes.
  const answer = await wireSend(
    wire === request ? options : { method: wire.method, path: wire.path, query: wire.query, headers: wire.headers, body: bodyBytes(wire.body), unchecked: options.unchecked },
    check,
  )
  const onWire = { status: answer.status, headers: answer.headers, body: answer.text === '' ? { kind: 'none' as const } : bodyOf(answer.text) }
  const translated = answerToContract(profile, outbound, onWire)
  // Answered as it came: the case still sees what it asked, not the wire call.
  if (translated === onWire) return { ...answer, request: { method: request.method, path: request.path } }
  const text = translated.body.kind === 'none' ? '' : translated.body.kind === 'json' ? JSON.stringify(translated.body.value) : translated.body.bytes.toString('utf8')
  return {
    status: translated.status,
    headers: translated.headers,
    body: translated.body.kind === 'json' ? translatedAnswer(profile, outbound.call?.operation, translated.status, translated.body.value) : text === '' ? undefined : text,
    text,
    request: { method: request.method, path: request.path },
    ...(translated.codes && { problemCodes: translated.codes }),
  }
}

/** Ends the case as not applicable when one of its requirements assumes what the run's profile does not (requirements.yaml `assumes`). */
export function checkAssumptions(caseName: string): void {
  const unmet = targetConfig().profile?.notApplicable
  if (!unmet) return
  for (const id of requirementIds(caseName)) if (unmet[id]) stopCase('not_applicable', `${id} ${unmet[id]}`)
}

export interface TokenProbe {
  path: '/v1/sessions' | '/v1/permissions/me' | '/v1/datasets/{name}/records'
  params?: Record<string, string>
  /** What the token's acceptance looks like there. */
  accepted: number[]
}

const PROBES: TokenProbe[] = [
  { path: '/v1/sessions', accepted: [200] },
  { path: '/v1/permissions/me', accepted: [200] },
  // Any answer but 401 means the token authenticated: the caller need not be allowed to read
  // the (absent) dataset.
  { path: '/v1/datasets/{name}/records', params: { name: 'authconform-token-probe' }, accepted: [200, 403, 404] },
]
const PROBE_OPERATIONS: Record<TokenProbe['path'], string> = {
  '/v1/sessions': 'listSessions',
  '/v1/permissions/me': 'getMyPermissions',
  '/v1/datasets/{name}/records': 'listRecords',
}

/** Where a token is tried: GET /v1/sessions, or under a profile that lacks it the first protected read the profile maps. */
export function tokenProbe(): TokenProbe {
  const profile = runProfile()?.profile
  if (!profile) return PROBES[0]!
  return PROBES.find((probe) => profile.route(PROBE_OPERATIONS[probe.path]).kind !== 'unmapped') ?? PROBES[0]!
}

/**
 * Ends the case as not applicable when the run's profile does not meet what the case
 * itself takes for granted, beyond its requirements' `assumes` (e.g. a rate limit to fill
 * in a case of a requirement that is about something else). Without a profile: nothing.
 */
export function caseAssumes(assumes: Assumptions): void {
  const reason = profileLacks(assumes)
  if (reason) notApplicableUnderProfile(`the case ${reason}`)
}

/** Why the run's profile does not meet the assumptions (undefined: it does, or the run has no profile). */
export function profileLacks(assumes: Assumptions): string | undefined {
  const run = runProfile()
  return run && unmetBy(run.profile, assumes)
}

/** A translated success answer: reading a field the contract requires but the wire does not carry ends the case. */
function translatedAnswer(profile: Profile, operation: ContractOperation | undefined, status: number, body: unknown): unknown {
  if (!operation || status !== operation.successStatus) return body
  return withAbsentFields(body, requiredFields(operation), `profile ${profile.name}'s ${operation.operationId} answer`)
}

/**
 * A contract answer under a profile that lacks fields the contract's answer requires (the
 * wire carries no session_id, no expires_in…): reading one of them ends the case as not
 * applicable, since nothing can be asserted about it through this wire. Every other read,
 * and the answer's own keys, are as they came. `what` names the answer in the reason.
 */
export function withAbsentFields<T>(body: T, required: readonly string[], what: string): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body
  const absent = new Set(required.filter((name) => !Object.hasOwn(body, name)))
  if (absent.size === 0) return body
  return new Proxy(body, {
    get(target, property, receiver) {
      if (typeof property === 'string' && absent.has(property)) notApplicableUnderProfile(`${what} carries no ${property}`)
      return Reflect.get(target, property, receiver)
    },
  })
}

const REQUIRED = new Map<string, readonly string[]>()

/** The top-level fields the contract's success answer of the operation requires. */
export function requiredFields(operation: ContractOperation): readonly string[] {
  let required = REQUIRED.get(operation.operationId)
  if (!required) {
    const object = contract.paths[operation.path]![operation.method]! as { responses?: Record<string, OpenApiObject> }
    const response = object.responses?.[String(operation.successStatus)]
    const content = response && (deref(response).content as Record<string, { schema?: OpenApiObject }> | undefined)
    const schema = content?.['application/json']?.schema
    required = (schema && (deref(schema).required as string[] | undefined)) ?? []
    REQUIRED.set(operation.operationId, required)
  }
  return required
}
