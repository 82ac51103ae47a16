// The one place requests leave the harness: undici with a per-request timeout (headers and
// body together) and the run's budget, every exchange recorded in the running case's
// transcript and every response checked against the contract before a case sees it. A
// response that breaks the contract is recorded as an ERR-017 violation and still handed
// to the case, whose own assertions decide its own requirements.
import { Agent, request } from 'undici'
import { budgetSignal } from './budget.ts'
import { record, recordContractViolation, rememberSecrets } from './case-context.ts'
import { checkResponse, type CheckedResponse, type CheckResult } from './contract-check.ts'
import { runProfile, sendUnderProfile } from './profile-hook.ts'
import { BudgetExhaustedError, TargetError } from './errors.ts'
import { secretValues } from '../../reports/redact.ts'
import { targetConfig } from './target.ts'
import { MAX_TIMER_MS } from './target-config.ts'

export interface HttpResponse<T = unknown> {
  status: number
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>
  /** Parsed JSON when the response is JSON, else the text (undefined when empty). */
  body: T
  text: string
  /** What was asked, as the contract names it: the method and the path without the query. */
  request: { method: string; path: string }
  /** Under a profile, for an error: every contract code the target's answer may stand for (expectProblem accepts any). */
  problemCodes?: string[]
}

export interface SendOptions {
  method: string
  /** A concrete path (placeholders already filled in), without the query string. */
  path: string
  query?: Record<string, string | number | boolean | undefined>
  headers?: Record<string, string>
  body?: string | Buffer
  /** Skip the contract check (the harness's own bookkeeping, e.g. cleanup). */
  unchecked?: boolean
  /** Sent as it is even under a profile (the provider-states protocol is on no profile's wire). */
  asIs?: boolean
}

/** Far above any response of the contract; an endless body fails the request instead of filling the memory. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024

let agent: Agent | undefined

function dispatcher(): Agent {
  agent ??= new Agent({ connections: 16, keepAliveTimeout: 10_000, maxResponseSize: MAX_RESPONSE_BYTES })
  return agent
}

export function send(options: SendOptions): Promise<HttpResponse> {
  return runProfile() && !options.asIs ? sendUnderProfile(options, sendOnWire) : sendOnWire(options, checkResponse)
}

/** One exchange with the target as it is sent, checked by `check` (the contract's, or the profile's own document). */
async function sendOnWire(options: SendOptions, check: (response: CheckedResponse) => CheckResult): Promise<HttpResponse> {
  const { baseUrl, timeoutMs } = targetConfig()
  const url = new URL(options.path, baseUrl)
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value))
  }
  const method = options.method.toUpperCase()
  const started = performance.now()
  const requestHeaders = options.headers ?? {}
  const requestBody = typeof options.body === 'string' ? options.body : options.body?.toString('utf8')
  rememberSecrets(secretsIn(requestHeaders, requestBody))
  let status: number
  let headers: Record<string, string>
  let text: string
  // The idle timeouts below never fire on a body trickled a byte at a time: the whole
  // exchange gets --timeout-ms; and nothing runs past the budget.
  const exchange = exchangeSignal(timeoutMs)
  try {
    const response = await request(url, {
      method: method as 'GET',
      headers: requestHeaders,
      body: options.body,
      dispatcher: dispatcher(),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: exchange.signal,
    })
    status = response.statusCode
    headers = flattenHeaders(response.headers)
    text = await response.body.text()
  } catch (error) {
    if (error instanceof BudgetExhaustedError) {
      record({ method, url: url.href, requestHeaders, requestBody, durationMs: elapsed(started), error: error.message })
      throw error
    }
    const reason = describeNetworkError(error, timeoutMs)
    record({ method, url: url.href, requestHeaders, requestBody, durationMs: elapsed(started), error: reason })
    throw new TargetError(`${method} ${url.pathname}: ${reason}`, { cause: error })
  } finally {
    exchange.end()
  }
  const kept = record({
    method,
    url: url.href,
    requestHeaders,
    requestBody,
    status,
    responseHeaders: headers,
    responseBody: text,
    durationMs: elapsed(started),
  })
  const body = parseBody(headers['content-type'], text)
  rememberSecrets(secretValues(body))
  if (!options.unchecked) {
    const result = check({ method, path: url.pathname, status, headers, body, text })
    if (result.violations.length > 0) recordContractViolation({ operation: result.operation, violations: result.violations, exchange: kept })
  }
  return { status, headers, body, text, request: { method, path: url.pathname } }
}

/**
 * Aborts at --timeout-ms (as AbortSignal.timeout would: a TimeoutError) or with the
 * budget's reason. One controller and one timer per exchange, and one listener per budget
 * signal for all of them: AbortSignal.any over AbortSignal.timeout, or an EventTarget
 * listener per request, cost more CPU than the rest of the harness's bookkeeping of a
 * request in Node 20, paid on every one of a run's ~7,000 requests.
 */
function exchangeSignal(timeoutMs: number): { signal: AbortSignal; end(): void } {
  const budget = budgetSignal()
  const controller = new AbortController()
  if (budget.aborted) {
    controller.abort(budget.reason)
    return { signal: controller.signal, end() {} }
  }
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    Math.min(timeoutMs, MAX_TIMER_MS),
  )
  const underWay = exchangesUnder(budget)
  underWay.add(controller)
  return {
    signal: controller.signal,
    end() {
      clearTimeout(timer)
      underWay.delete(controller)
    },
  }
}

const exchangesByBudget = new WeakMap<AbortSignal, Set<AbortController>>()

/** The exchanges under way that this budget signal ends when it aborts. */
function exchangesUnder(budget: AbortSignal): Set<AbortController> {
  let underWay = exchangesByBudget.get(budget)
  if (!underWay) {
    const controllers = new Set<AbortController>()
    budget.addEventListener('abort', () => controllers.forEach((controller) => controller.abort(budget.reason)), { once: true })
    exchangesByBudget.set(budget, controllers)
    underWay = controllers
  }
  return underWay
}

/** Credentials in the Authorization header and secret-named fields of a JSON body. */
function secretsIn(headers: Record<string, string>, body: string | undefined): string[] {
  const found: string[] = []
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'authorization') continue
    const credential = value.replace(/^\S+\s+/, '')
    found.push(credential)
    if (/^basic\s/i.test(value)) found.push(...Buffer.from(credential, 'base64').toString('utf8').split(':').slice(1))
    if (/^apikey\s/i.test(value)) found.push(credential.split(':').slice(1).join(':'))
  }
  try {
    if (body) secretValues(JSON.parse(body), found)
  } catch {
    // Not JSON (a deliberately malformed body): nothing named to collect.
  }
  return found
}

function parseBody(contentType: string | undefined, text: string): unknown {
  if (text === '') return undefined
  if (!contentType || !/[/+]json\b/i.test(contentType)) return text
  try {
    return JSON.parse(text)
  } catch {
    // Left as text: the contract check reports a JSON media type that is not JSON.
    return text
  }
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : ''
  const name = error instanceof Error ? error.name : ''
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || name === 'TimeoutError') {
    return `no complete response within ${timeoutMs} ms (--timeout-ms)`
  }
  if (code === 'ECONNREFUSED') return 'connection refused: is the target running?'
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') return 'the target closed the connection mid-exchange'
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return `the response body exceeded ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB`
  const message = error instanceof Error ? error.message : String(error)
  return `request failed (${code || name || 'error'}): ${message}`
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started)
}
