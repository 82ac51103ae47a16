/**
 * Named seams of the HTTP layer: the wire-level decisions a realistic implementation can
 * get wrong. Each has the correct default here; the defect catalogue (mock/defects) replaces
 * one by name through `AppOptions.seams`, and nothing else in the layer changes.
 */
import type { Options as AjvOptions } from 'ajv'
import type { ErrorCode } from '../domain/errors.ts'
import type { Problem } from './problem.ts'

export interface HttpSeams {
  /** The HTTP status of a problem code (the contract's table in problem.ts). */
  statusOf(code: ErrorCode, contractStatus: number): number
  /** The WWW-Authenticate challenge sent with a 401 (RFC 6750 §3); undefined sends none. */
  challenge(challenge: string): string | undefined
  /** The headers of a 429: RateLimit-* plus Retry-After. */
  rateLimitedHeaders(headers: Record<string, string>): Record<string, string>
  /** A body that is not valid JSON is the client's fault (400); undefined leaves it an unexpected error (500). */
  malformedJson(problem: Problem): Problem | undefined
  /** ajv's handling of body properties a schema does not define: false keeps them, so they are refused. */
  removeAdditional: AjvOptions['removeAdditional']
  /** The media type of error answers (RFC 9457). */
  problemContentType: string
}

export const defaultHttpSeams: HttpSeams = {
  statusOf: (_code, contractStatus) => contractStatus,
  challenge: (challenge) => challenge,
  rateLimitedHeaders: (headers) => headers,
  malformedJson: (problem) => problem,
  removeAdditional: false,
  problemContentType: 'application/problem+json',
}

export function resolveHttpSeams(overrides: Partial<HttpSeams> = {}): HttpSeams {
  return { ...defaultHttpSeams, ...overrides }
}
