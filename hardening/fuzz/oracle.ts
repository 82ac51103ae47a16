// What every fuzzed exchange must satisfy, whatever was sent: no 5xx; the answer is one
// the contract documents for the operation (status, media type, body schema, headers —
// the harness's contract check, the same one the suites use); every error is
// problem+json; an invalid body, query or credential is never answered with success; a
// method the path does not define is 405 with the path's Allow (ERR-019); an unknown
// query parameter is never the reason for a 400 (ERR-020).
import { allowedMethodsOf, checkResponse } from '../../suites/harness/contract-check.ts'
import type { FuzzRequest } from './requests.ts'
import { schemaAccepts } from './schema-arbitrary.ts'
import { operationOf, type Sent } from './send.ts'

export function judge(fuzzed: FuzzRequest, sent: Sent): string[] {
  const { status, headers, text, body } = sent.exchange
  const violations: string[] = []
  if (status >= 500) violations.push(`server error ${status}: ${text.slice(0, 300)}`)
  const contentType = (headers['content-type'] ?? '').split(';')[0]!.trim()
  // The path the server saw: URL parsing resolves dot segments (/v1/sessions/.. goes out as
  // /v1/), so the answer is judged against the route of that path, not of the template.
  const path = new URL(sent.url, 'http://target.invalid').pathname
  violations.push(...undefinedMethodAnswered(fuzzed.method, path, status, headers.allow))
  if (fuzzed.method === 'HEAD') {
    // No body by definition; only the status line and its media type can be judged.
    if (status >= 400 && contentType !== 'application/problem+json') violations.push(`HEAD error ${status} as ${contentType || 'no content type'}`)
    return violations
  }
  violations.push(...checkResponse({ method: fuzzed.method, path, status, headers, body, text }).violations)
  if (status < 300) violations.push(...acceptedWhatMustBeRefused(fuzzed))
  if (status === 400) violations.push(...refusedForUnknownQuery(fuzzed, body))
  return violations
}

/** ERR-019: a path of the contract called with a method it does not define. */
function undefinedMethodAnswered(method: string, path: string, status: number, allow: string | undefined): string[] {
  const allowed = allowedMethodsOf(path)
  if (allowed === undefined || allowed.includes(method)) return []
  // A target without the optional control extension has no control paths at all (404).
  if (status === 404 && path.startsWith('/__control/')) return []
  if (status !== 405) return [`${method} ${path}: the path does not define ${method}, so 405 is due, got ${status}`]
  const listed = (allow ?? '').split(',').map((name) => name.trim().toUpperCase()).filter(Boolean).sort()
  const expected = [...allowed].sort()
  return listed.join() === expected.join() ? [] : [`${method} ${path} → 405 with Allow ${allow ?? '(none)'}, expected ${expected.join(', ')}`]
}

/** ERR-020: a 400 that names a query parameter the operation does not define. */
function refusedForUnknownQuery(fuzzed: FuzzRequest, body: unknown): string[] {
  const operation = operationOf(fuzzed)
  if (!operation) return []
  const errors = ((body as { errors?: unknown } | undefined)?.errors ?? []) as { in?: string; path?: string }[]
  if (!Array.isArray(errors)) return []
  const unknown = fuzzed.query.map(([name]) => name).filter((name) => !operation.queryParams.some((parameter) => parameter.name === name))
  return unknown
    .filter((name) => errors.some((error) => error.in === 'query' && (error.path === name || error.path === `/${name}`)))
    .map((name) => `the unknown query parameter ${name} was refused (400)`)
}

function acceptedWhatMustBeRefused(fuzzed: FuzzRequest): string[] {
  const operation = operationOf(fuzzed)
  if (!operation) return []
  const refused: string[] = []
  const body = fuzzed.body.kind === 'text' && fuzzed.body.text === '' ? { kind: 'none' as const } : fuzzed.body
  const jsonType = /^application\/json\s*(;|$)/i.test(fuzzed.contentType ?? '')
  if (operation.bodyPointer && body.kind === 'json' && jsonType && !schemaAccepts(operation.bodyPointer, body.value)) {
    refused.push('a body the contract schema refuses was accepted')
  }
  if (operation.bodyPointer && body.kind !== 'none' && !jsonType) refused.push(`a ${fuzzed.contentType ?? 'typeless'} body was accepted`)
  for (const [name, value] of fuzzed.query) {
    const parameter = operation.queryParams.find((candidate) => candidate.name === name)
    if (parameter && !queryValueAccepted(parameter.schema, value)) refused.push(`query ${name}=${JSON.stringify(value)} breaks its schema but was accepted`)
  }
  for (const [name, value] of Object.entries(fuzzed.params)) {
    const length = 'text' in value ? value.text.length : 'raw' in value ? decodeURIComponentSafe(value.raw).length : 0
    if (length > 128) refused.push(`path parameter ${name} of ${length} characters (maxLength 128) was accepted`)
  }
  const credential = fuzzed.credential
  const forged = credential.kind === 'revoked' || credential.kind === 'raw' || (credential.kind === 'apikey' && credential.who === 'wrong-secret')
  if (!operation.anonymous && (forged || credential.kind === 'none')) refused.push(`a protected operation succeeded with credential ${credential.kind}`)
  return refused
}

/** Query strings are text; an integer parameter takes the text of an integer. */
function queryValueAccepted(schema: Record<string, any>, value: string): boolean {
  if (schema.type === 'integer') {
    if (!/^-?\d+$/.test(value.trim())) return false
    const number = Number(value)
    return (schema.minimum === undefined || number >= schema.minimum) && (schema.maximum === undefined || number <= schema.maximum)
  }
  if (schema.type === 'string') {
    return (schema.minLength === undefined || value.length >= schema.minLength) && (schema.maxLength === undefined || value.length <= schema.maxLength)
  }
  return true
}

function decodeURIComponentSafe(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

/** A request, readable and free of credentials: what a failure report prints. */
export function describeRequest(fuzzed: FuzzRequest, sent?: Sent): string {
  const body =
    fuzzed.body.kind === 'json' ? JSON.stringify(fuzzed.body.value)
    : fuzzed.body.kind === 'text' ? `(text) ${JSON.stringify(fuzzed.body.text)}`
    : fuzzed.body.kind === 'huge' ? '(1 MiB + 16 bytes of JSON)'
    : '(none)'
  const lines = [
    `${fuzzed.method} ${sent?.url ?? fuzzed.template}   [${fuzzed.operationId}]`,
    `  path params: ${JSON.stringify(fuzzed.params)}`,
    `  credential:  ${sent?.credential ?? fuzzed.credential.kind}`,
    `  content-type: ${fuzzed.contentType ?? '(none)'}   extra headers: ${JSON.stringify(fuzzed.headers)}`,
    `  body: ${body.length > 500 ? `${body.slice(0, 500)}… (${body.length} chars)` : body}`,
  ]
  if (sent) lines.push(`  → ${sent.exchange.status} ${sent.exchange.headers['content-type'] ?? ''} ${sent.exchange.text.slice(0, 300)}`)
  return lines.join('\n')
}
