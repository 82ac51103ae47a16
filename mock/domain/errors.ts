/**
 * Domain errors: one class per contract error `code`. They carry context, never an HTTP
 * status — the HTTP layer maps `code` → status and problem+json in one table.
 */
import type { components } from '../../openapi/generated/schema.d.ts'

/** The contract's error codes (problem+json `code`): its ProblemCode schema. */
export type ErrorCode = components['schemas']['ProblemCode']

/** Where an invalid input was found, for problem+json `errors[]`. */
export interface FieldError {
  in: 'body' | 'query' | 'path' | 'header'
  /** JSON pointer into the location, e.g. "/expires_at". */
  path: string
  message: string
}

/** Base of every domain error; `code` is stable and machine-readable. */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode
  override name = 'DomainError'
}

/** The request is well-formed JSON but breaks a rule (bad value, bad cursor, past date). */
export class InvalidRequestError extends DomainError {
  readonly code = 'invalid_request'
  override name = 'InvalidRequestError'
  constructor(message: string, readonly errors: FieldError[] = []) {
    super(message)
  }
}

/** Key/secret or email/password do not identify a live principal; the cases are not told apart. */
export class InvalidCredentialsError extends DomainError {
  readonly code = 'invalid_credentials'
  override name = 'InvalidCredentialsError'
  constructor(message = 'The credentials are not valid.') {
    super(message)
  }
}

/** The token is missing, malformed, forged, foreign or unknown. */
export class InvalidTokenError extends DomainError {
  readonly code = 'invalid_token'
  override name = 'InvalidTokenError'
  constructor(message = 'The token is not valid.') {
    super(message)
  }
}

/** The token was genuine but its lifetime has passed. */
export class TokenExpiredError extends DomainError {
  readonly code = 'token_expired'
  override name = 'TokenExpiredError'
  constructor(message = 'The token has expired.') {
    super(message)
  }
}

/** The token was genuine but its session, key or user has been revoked/ended. */
export class TokenRevokedError extends DomainError {
  readonly code = 'token_revoked'
  override name = 'TokenRevokedError'
  constructor(message = 'The token has been revoked.') {
    super(message)
  }
}

/** The caller is authenticated but not allowed to do this. */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden'
  override name = 'ForbiddenError'
  constructor(message = 'You are not allowed to do this.') {
    super(message)
  }
}

/** The resource does not exist, or the caller may not learn that it exists. */
export class NotFoundError extends DomainError {
  readonly code = 'not_found'
  override name = 'NotFoundError'
  constructor(message = 'Not found.') {
    super(message)
  }
}

/** The change clashes with existing state (email taken, dataset exists). */
export class ConflictError extends DomainError {
  readonly code = 'conflict'
  override name = 'ConflictError'
  constructor(message: string) {
    super(message)
  }
}

/** A rate-limit window is exhausted; context feeds Retry-After and RateLimit-* headers. */
export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited'
  override name = 'RateLimitedError'
  constructor(
    readonly scope: string,
    /** Whole seconds (≥ 1) after which the same request succeeds. */
    readonly retryAfterSeconds: number,
    readonly limit: number,
    readonly remaining: number,
    /** Whole seconds until the window resets. */
    readonly resetSeconds: number,
  ) {
    super(`Too many requests (${scope}); retry after ${retryAfterSeconds} s.`)
  }
}

/**
 * The state the mock shares with its other replicas cannot be reached in time (or is too
 * contended to commit a change): nothing was answered from it, retry after a moment. A
 * change answered so may or may not have been committed.
 */
export class StoreUnavailableError extends DomainError {
  readonly code = 'unavailable'
  override name = 'StoreUnavailableError'
  constructor(
    message = 'The mock\'s shared store cannot be reached; retry shortly.',
    /** Whole seconds (≥ 1) to wait before retrying. */
    readonly retryAfterSeconds = 1,
  ) {
    super(message)
  }
}
