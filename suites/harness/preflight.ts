// Before any case runs: is the target there, does it serve a discovery document, are the
// admin credentials real and admin, and which time strategy applies. Every problem here
// is a configuration error (exit 2, one line), not a conformance failure. Under a profile
// each call is said on the profile's wire; a target without a discovery document is
// described by the profile's facts, and one without a token exchange gets its admin key
// used directly.
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { UsageError } from '../../errors/usage-error.ts'
import { discoveryFromProfile } from '../../profiles/discovery.ts'
import type { Profile } from '../../profiles/profile.ts'
import { bodyBytes, bodyOf } from '../../profiles/translate/message.ts'
import { answerToContract, requestToWire } from '../../profiles/translate/outbound.ts'
import type { Discovery, TokenResponse } from './contract-types.ts'
import type { TimeStrategy } from './target-config.ts'

export interface PreflightInput {
  baseUrl: string
  adminKey: string
  adminSecret: string
  time: TimeStrategy | undefined
  maxWaitSeconds: number
  timeoutMs: number
  controlToken: string | undefined
  profile?: Profile
}

export interface PreflightResult {
  discovery: Discovery
  /** Undefined when the profile's system has no token exchange (the admin key is used directly). */
  adminTokens?: TokenResponse
  timeStrategy: TimeStrategy
  /** Why this strategy (shown on the console and in the reports). */
  timeReason: string
}

interface Answer {
  status: number
  body: any
  headers?: Record<string, string>
  text?: string
}

/** A JSON body, or (a translated call) the bytes as they are. */
type Call = (method: string, path: string, init?: { body?: unknown; raw?: Buffer; headers?: Record<string, string> }) => Promise<Answer>

export async function preflight(input: PreflightInput): Promise<PreflightResult> {
  const { profile } = input
  const onWire: Call = (method, path, init = {}) => fetchJson(input.baseUrl, method, path, input.timeoutMs, init)
  const call = profile ? translated(profile, onWire) : onWire
  const has = (operationId: string) => !profile || profile.route(operationId).kind !== 'unmapped'

  let discovery: Discovery
  if (has('getAuthConfiguration')) {
    const discoveryAnswer = await call('GET', '/.well-known/auth-configuration')
    if (discoveryAnswer.status !== 200 || typeof discoveryAnswer.body !== 'object' || discoveryAnswer.body === null) {
      throw new UsageError(`${input.baseUrl} does not serve a discovery document (GET /.well-known/auth-configuration answered ${discoveryAnswer.status})`)
    }
    discovery = discoveryAnswer.body as Discovery
  } else {
    const clock = await onWire('GET', '/__control/clock', { headers: controlHeaders(input) })
    discovery = discoveryFromProfile(profile!, input.baseUrl, clock.status === 200)
  }

  let adminTokens: TokenResponse | undefined
  let adminHeader = `ApiKey ${input.adminKey}:${input.adminSecret}`
  if (has('exchangeToken')) {
    const exchange = await call('POST', '/v1/auth/token', { body: { api_key: input.adminKey, api_secret: input.adminSecret } })
    if (exchange.status !== 200 || typeof exchange.body?.access_token !== 'string') {
      throw new UsageError(`the admin credentials were rejected: POST /v1/auth/token answered ${exchange.status}${problemCode(exchange)}`)
    }
    adminTokens = exchange.body as TokenResponse
    adminHeader = `Bearer ${adminTokens.access_token}`
  }
  if (has('listKeys')) {
    const keys = await call('GET', '/v1/keys', { headers: { authorization: adminHeader } })
    if (keys.status !== 200) {
      throw new UsageError(`--admin-key is not an admin key of the target: GET /v1/keys answered ${keys.status}${problemCode(keys)}`)
    }
  }

  const { strategy, reason } = await chooseTimeStrategy(input, discovery, call)
  return { discovery, ...(adminTokens && { adminTokens }), timeStrategy: strategy, timeReason: reason }
}

/** The run's admin key from the provider-states endpoint (state 'an admin key'), when none is given. */
export async function adminFromSetup(setupUrl: string, timeoutMs: number): Promise<{ key: string; secret: string }> {
  const answer = await fetchJson(setupUrl, 'POST', setupUrl, timeoutMs, { body: { action: 'setup', state: 'an admin key', params: {} } })
  if (answer.status !== 200 && answer.status !== 201) {
    throw new UsageError(`no admin key given, and the provider-states endpoint ${setupUrl} answered ${answer.status} for 'an admin key'`)
  }
  const { id, secret } = (answer.body ?? {}) as { id?: unknown; secret?: unknown }
  if (typeof id !== 'string' || typeof secret !== 'string') throw new UsageError(`the provider-states endpoint ${setupUrl} answered 'an admin key' without {id, secret}`)
  return { key: id, secret }
}

/** Each call said on the profile's wire and its answer read back as the contract's. */
function translated(profile: Profile, onWire: Call): Call {
  return async (method, path, init = {}) => {
    const headers = { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers }
    const outbound = requestToWire(profile, { method, path, query: {}, headers, body: bodyOf(init.body === undefined ? undefined : JSON.stringify(init.body)) })
    const { wire } = outbound
    const answer = await onWire(wire.method, `${wire.path}${Object.keys(wire.query).length > 0 ? `?${new URLSearchParams(wire.query)}` : ''}`, { headers: wire.headers, raw: bodyBytes(wire.body) })
    const contract = answerToContract(profile, outbound, { status: answer.status, headers: answer.headers ?? {}, body: bodyOf(answer.text ?? '') })
    return { status: contract.status, body: contract.body.kind === 'json' ? contract.body.value : undefined }
  }
}

function controlHeaders(input: PreflightInput): Record<string, string> {
  return input.controlToken ? { 'x-control-token': input.controlToken } : {}
}

async function chooseTimeStrategy(input: PreflightInput, discovery: Discovery, call: Call): Promise<{ strategy: TimeStrategy; reason: string }> {
  const hasControl = (discovery.features ?? []).includes('test_control')
  if (input.time === 'control' || (input.time === undefined && hasControl)) {
    if (!hasControl) throw new UsageError('--time control: the target does not list test_control in discovery')
    const clock = await call('GET', '/__control/clock', { headers: controlHeaders(input) })
    if (clock.status !== 200) {
      throw new UsageError(`the control extension refused the harness: GET /__control/clock answered ${clock.status}${problemCode(clock)} (--control-token?)`)
    }
    return { strategy: 'control', reason: input.time ? '--time control' : 'discovery lists test_control' }
  }
  if (input.time) return { strategy: input.time, reason: `--time ${input.time}` }
  const longest = Math.max(discovery.access_token_ttl, discovery.refresh_token_ttl) + 1
  return longest <= input.maxWaitSeconds
    ? { strategy: 'wait', reason: `the declared TTLs (≤ ${longest - 1} s) fit --max-wait ${input.maxWaitSeconds}` }
    : { strategy: 'skip', reason: `no test_control and the TTLs (${longest - 1} s) exceed --max-wait ${input.maxWaitSeconds}` }
}

/**
 * One JSON exchange of the preflight, within --timeout-ms as a whole. node:http rather than
 * undici: the preflight is on the start-up's critical path and undici's package loads through
 * tsx's hooks (~0.1–0.2 s); fetch, whose undici is part of Node, refuses some ports outright.
 */
async function fetchJson(
  baseUrl: string,
  method: string,
  path: string,
  timeoutMs: number,
  init: { body?: unknown; raw?: Buffer; headers?: Record<string, string> },
): Promise<Answer> {
  const url = new URL(path, baseUrl)
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    const { status, headers, text } = await exchange(url, {
      method,
      headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
      body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
      signal,
    })
    let body: unknown
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = undefined
    }
    return { status, body, headers, text }
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : ''
    const reason =
      signal.aborted ? `no answer within ${timeoutMs} ms`
      : code === 'ECONNREFUSED' ? 'connection refused'
      : error instanceof Error ? error.message.split('\n')[0]
      : String(error)
    throw new UsageError(`cannot reach the target at ${baseUrl}: ${method} ${path}: ${reason}`)
  }
}

function exchange(
  url: URL,
  init: { method: string; headers: Record<string, string>; body: string | Buffer | undefined; signal: AbortSignal },
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const request = send(url, { method: init.method, headers: init.headers, signal: init.signal }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('error', reject)
      // Cut off mid-body (the timeout or the target): no 'end', so say so.
      response.on('close', () => {
        const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]))
        if (response.complete) resolve({ status: response.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') })
        else reject(init.signal.aborted ? init.signal.reason : new Error('the target closed the connection mid-response'))
      })
    })
    request.on('error', reject)
    request.end(init.body)
  })
}

function problemCode(answer: Answer): string {
  return typeof answer.body?.code === 'string' ? ` ${answer.body.code}` : ''
}
