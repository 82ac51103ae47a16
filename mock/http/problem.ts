// The one place where errors become HTTP answers: every failure — validation, domain,
// parser, unknown route, unexpected exception — ends as RFC 9457 application/problem+json
// `{type, title, status, detail, code}` with the status taken from the table below.
import type { FastifyReply } from 'fastify'
import { DomainError, InvalidRequestError, RateLimitedError, StoreUnavailableError, type ErrorCode, type FieldError } from '../domain/errors.ts'
import { defaultHttpSeams, type HttpSeams } from './http-seams.ts'
import { rateLimitHeaders } from './rate-limit-headers.ts'
import { detailOf, fieldErrorsOf, isValidationFailure } from './validation-problem.ts'

export const PROBLEM_CONTENT_TYPE = defaultHttpSeams.problemContentType

const PROBLEMS: Record<ErrorCode, { status: number; title: string }> = {
  invalid_request: { status: 400, title: 'Invalid request' },
  invalid_credentials: { status: 401, title: 'Invalid credentials' },
  invalid_token: { status: 401, title: 'Invalid token' },
  token_expired: { status: 401, title: 'Token expired' },
  token_revoked: { status: 401, title: 'Token revoked' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  unavailable: { status: 503, title: 'Service unavailable' },
  internal_error: { status: 500, title: 'Internal error' },
}

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  code: ErrorCode
  errors?: FieldError[]
}

/** An error the HTTP layer raises itself (auth extraction, parsers, control token). */
export class HttpProblem extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message)
    this.name = 'HttpProblem'
  }
}

export function problemOf(code: ErrorCode, detail: string, errors?: FieldError[]): Problem {
  const { status, title } = PROBLEMS[code]
  const problem: Problem = { type: `urn:authconform:problem:${code}`, title, status, detail, code }
  if (errors && errors.length > 0) problem.errors = errors
  return problem
}

export function sendProblem(reply: FastifyReply, problem: Problem, seams: HttpSeams = defaultHttpSeams): FastifyReply {
  const status = seams.statusOf(problem.code, problem.status)
  if (status === 401) {
    // RFC 6750 §3: every 401 names the Bearer scheme, invalid_credentials included.
    const challenge = seams.challenge(
      `Bearer realm="authconform", error="invalid_token", error_description="${quoted(problem.detail)}"`,
    )
    if (challenge !== undefined) reply.header('www-authenticate', challenge)
  }
  return reply.code(status).type(seams.problemContentType).send({ ...problem, status })
}

/** Maps anything thrown while handling a request to a problem; `undefined` means a bug. */
export function problemFromError(
  error: unknown,
  seams: HttpSeams = defaultHttpSeams,
): { problem: Problem; headers?: Record<string, string> } | undefined {
  if (error instanceof RateLimitedError) {
    return { problem: problemOf('rate_limited', error.message), headers: seams.rateLimitedHeaders(rateLimitHeaders(error, true)) }
  }
  if (error instanceof StoreUnavailableError) {
    return { problem: problemOf('unavailable', error.message), headers: { 'retry-after': String(error.retryAfterSeconds) } }
  }
  if (isValidationFailure(error)) {
    const errors = fieldErrorsOf(error)
    // Path ids carry no pattern in the contract, only bounds: an id outside them names no
    // resource, so it is 404 like any unknown id (ERR-014), never 400.
    if (error.validationContext === 'params') return { problem: problemOf('not_found', detailOf(errors, 'No such resource')) }
    return { problem: problemOf('invalid_request', detailOf(errors), errors) }
  }
  if (error instanceof InvalidRequestError) return { problem: problemOf(error.code, error.message, error.errors) }
  if (error instanceof DomainError || error instanceof HttpProblem) {
    return { problem: problemOf(error.code, error.message, error instanceof HttpProblem ? error.errors : undefined) }
  }
  return problemFromFastifyError(error, seams)
}

/**
 * Fastify's own errors that a client's request causes, by FST_ERR_* code: every one of
 * them (problem.test.ts checks the list against Fastify's) is the client's problem, never
 * internal_error. Invalid JSON is mapped separately (through a seam of the defects).
 */
export const FASTIFY_CODES: Record<string, { code: ErrorCode; detail: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    detail: 'Request bodies must be sent as application/json.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', detail: 'The request body is larger than 1 MiB.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'invalid_request',
    detail: 'The Content-Length header does not match the body.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'invalid_request',
    detail: 'The body is empty although Content-Type is application/json.',
  },
  // A QUERY (RFC 10008) needs a Content-Type and content; no operation of the contract is
  // a QUERY, so these only answer if one ever is.
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: { code: 'invalid_request', detail: 'This method requires a Content-Type header.' },
  FST_ERR_ROUTE_MISSING_CONTENT: { code: 'invalid_request', detail: 'This method requires a request body.' },
  // The router's: a path that is not valid percent-encoding, or a segment longer than any
  // id. No route and no resource can have it, so 404 like every unknown id (ERR-014).
  FST_ERR_BAD_URL: { code: 'not_found', detail: 'There is no resource at this URL (it is not a valid path).' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'not_found', detail: 'There is no resource at this path (a segment is longer than any id).' },
  FST_ERR_NOT_FOUND: { code: 'not_found', detail: 'There is no resource at this path.' },
  // Schema failures carry `validation` and are mapped with their field errors above.
  FST_ERR_VALIDATION: { code: 'invalid_request', detail: 'The request is not valid.' },
}

function problemFromFastifyError(error: unknown, seams: HttpSeams): { problem: Problem } | undefined {
  if (!(error instanceof Error)) return undefined
  if (isJsonSyntaxError(error)) {
    const problem = seams.malformedJson(problemOf('invalid_request', 'The body is not valid JSON.'))
    return problem && { problem }
  }
  const known = 'code' in error ? FASTIFY_CODES[String(error.code)] : undefined
  return known && { problem: problemOf(known.code, known.detail) }
}

function isJsonSyntaxError(error: Error): boolean {
  // Fastify's JSON parser reports FST_ERR_CTP_INVALID_JSON_BODY, or lets JSON.parse's
  // SyntaxError through with status 400.
  if ('code' in error && error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return true
  return error instanceof SyntaxError && (error as { statusCode?: number }).statusCode === 400
}

function quoted(text: string): string {
  // A quoted-string may not hold '"' or '\' unescaped; header values must stay
  // visible ASCII (Node refuses others), so anything else becomes '?'.
  return text.replace(/[\\"]/g, '\\$&').replace(/[^\x20-\x7e]/g, '?')
}
