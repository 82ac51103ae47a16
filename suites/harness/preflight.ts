// Before any case runs: is the target there, does it serve a discovery document, are the
// admin credentials real and admin, and which time strategy applies. Every problem here
// is a configuration error (exit 2, one line), not a conformance failure.
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { UsageError } from '../../errors/usage-error.ts'
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
}

export interface PreflightResult {
  discovery: Discovery
  adminTokens: TokenResponse
  timeStrategy: TimeStrategy
  /** Why this strategy (shown on the console and in the reports). */
  timeReason: string
}

interface Answer {
  status: number
  body: any
}

export async function preflight(input: PreflightInput): Promise<PreflightResult> {
  const call = (method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) =>
    fetchJson(input.baseUrl, method, path, input.timeoutMs, init)

  const discoveryAnswer = await call('GET', '/.well-known/auth-configuration')
  if (discoveryAnswer.status !== 200 || typeof discoveryAnswer.body !== 'object' || discoveryAnswer.body === null) {
    throw new UsageError(`${input.baseUrl} does not serve a discovery document (GET /.well-known/auth-configuration answered ${discoveryAnswer.status})`)
  }
  const discovery = discoveryAnswer.body as Discovery

  const exchange = await call('POST', '/v1/auth/token', { body: { api_key: input.adminKey, api_secret: input.adminSecret } })
  if (exchange.status !== 200 || typeof exchange.body?.access_token !== 'string') {
    throw new UsageError(`the admin credentials were rejected: POST /v1/auth/token answered ${exchange.status}${problemCode(exchange)}`)
  }
  const adminTokens = exchange.body as TokenResponse
  const keys = await call('GET', '/v1/keys', { headers: { authorization: `Bearer ${adminTokens.access_token}` } })
  if (keys.status !== 200) {
    throw new UsageError(`--admin-key is not an admin key of the target: GET /v1/keys answered ${keys.status}${problemCode(keys)}`)
  }

  const { strategy, reason } = await chooseTimeStrategy(input, discovery, call)
  return { discovery, adminTokens, timeStrategy: strategy, timeReason: reason }
}

async function chooseTimeStrategy(
  input: PreflightInput,
  discovery: Discovery,
  call: (method: string, path: string, init?: { headers?: Record<string, string> }) => Promise<Answer>,
): Promise<{ strategy: TimeStrategy; reason: string }> {
  const hasControl = (discovery.features ?? []).includes('test_control')
  if (input.time === 'control' || (input.time === undefined && hasControl)) {
    if (!hasControl) throw new UsageError('--time control: the target does not list test_control in discovery')
    const headers: Record<string, string> = input.controlToken ? { 'x-control-token': input.controlToken } : {}
    const clock = await call('GET', '/__control/clock', { headers })
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
  init: { body?: unknown; headers?: Record<string, string> },
): Promise<Answer> {
  const url = new URL(path, baseUrl)
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    const { status, text } = await exchange(url, {
      method,
      headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal,
    })
    let body: unknown
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = undefined
    }
    return { status, body }
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
  init: { method: string; headers: Record<string, string>; body: string | undefined; signal: AbortSignal },
): Promise<{ status: number; text: string }> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const request = send(url, { method: init.method, headers: init.headers, signal: init.signal }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('error', reject)
      // Cut off mid-body (the timeout or the target): no 'end', so say so.
      response.on('close', () => {
        if (response.complete) resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') })
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
