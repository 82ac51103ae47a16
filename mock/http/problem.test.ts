import Fastify, { errorCodes } from 'fastify'
import { describe, expect, it } from 'vitest'
import {
  ConflictError,
  ForbiddenError,
  InvalidCredentialsError,
  InvalidRequestError,
  InvalidTokenError,
  NotFoundError,
  RateLimitedError,
  TokenExpiredError,
  TokenRevokedError,
} from '../domain/errors.ts'
import { HttpProblem, problemFromError, problemOf, sendProblem } from './problem.ts'

describe.each([
  [new InvalidRequestError('bad', [{ in: 'body', path: '/x', message: 'is bad' }]), 400, 'invalid_request'],
  [new InvalidCredentialsError(), 401, 'invalid_credentials'],
  [new InvalidTokenError(), 401, 'invalid_token'],
  [new TokenExpiredError(), 401, 'token_expired'],
  [new TokenRevokedError(), 401, 'token_revoked'],
  [new ForbiddenError(), 403, 'forbidden'],
  [new NotFoundError(), 404, 'not_found'],
  [new ConflictError('taken'), 409, 'conflict'],
  [new RateLimitedError('token', 12, 30, 0, 12), 429, 'rate_limited'],
  [new HttpProblem('forbidden', 'no control token'), 403, 'forbidden'],
  [Object.assign(new Error('too big'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' }), 413, 'payload_too_large'],
  [Object.assign(new Error('no parser'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }), 415, 'unsupported_media_type'],
  [Object.assign(new SyntaxError('Unexpected token'), { statusCode: 400 }), 400, 'invalid_request'],
])('%s', (error, status, code) => {
  it(`maps to ${status} ${code}`, () => {
    const mapped = problemFromError(error)
    expect(mapped?.problem).toMatchObject({ type: `urn:authconform:problem:${code}`, status, code })
    expect(typeof mapped?.problem.title).toBe('string')
  })
})

// Every 4xx error Fastify has is caused by a request, except these two, which only a
// program's own mistake raises. A Fastify upgrade that adds one fails here until it is mapped.
const NOT_CAUSED_BY_REQUESTS: Record<string, string> = {
  FST_ERR_CTP_INSTANCE_ALREADY_STARTED: 'a content-type parser added after start-up',
  FST_ERR_INVALID_URL: 'inject() called with a URL that is not a string',
}
const fastifyClientErrors = Object.entries(errorCodes)
  .map(([name, FastifyError]) => [name, new (FastifyError as new (...args: string[]) => Error & { statusCode?: number })('a', 'b', 'c')] as const)
  .filter(([name, error]) => (error.statusCode ?? 500) < 500 && !(name in NOT_CAUSED_BY_REQUESTS))

describe("Fastify's errors that a request causes", () => {
  it('are all known (the list is not empty, and holds the QUERY error that once answered 500)', () => {
    expect(fastifyClientErrors.map(([name]) => name)).toContain('FST_ERR_ROUTE_MISSING_CONTENT_TYPE')
  })

  it.each(fastifyClientErrors)('%s maps to a documented 4xx problem, never internal_error', (_name, error) => {
    const problem = problemFromError(error)?.problem
    expect(problem?.status).toBeGreaterThanOrEqual(400)
    expect(problem?.status).toBeLessThan(500)
  })
})

describe('problemFromError', () => {
  it('keeps the field errors of invalid requests', () => {
    const errors = [{ in: 'body' as const, path: '/expires_at', message: 'must be in the future' }]
    expect(problemFromError(new InvalidRequestError('past', errors))?.problem.errors).toEqual(errors)
  })

  it('turns a rate-limit refusal into Retry-After and RateLimit headers', () => {
    expect(problemFromError(new RateLimitedError('signin', 7, 5, 0, 9))?.headers).toEqual({
      'retry-after': '7',
      'ratelimit-limit': '5',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '9',
    })
  })

  it('leaves anything else to the caller (a bug: logged, answered 500)', () => {
    expect(problemFromError(new TypeError('x is undefined'))).toBeUndefined()
    expect(problemFromError('a string')).toBeUndefined()
  })
})

describe('sendProblem', () => {
  it('challenges every 401 with a quoted, ASCII-only error_description', async () => {
    const app = Fastify()
    app.get('/', (_request, reply) => sendProblem(reply, problemOf('invalid_token', 'Say "hi" \\ café\n')))
    const reply = await app.inject('/')
    expect(reply.statusCode).toBe(401)
    expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(reply.headers['www-authenticate']).toBe(
      'Bearer realm="authconform", error="invalid_token", error_description="Say \\"hi\\" \\\\ caf??"',
    )
  })

  it('sends no challenge on other statuses', async () => {
    const app = Fastify()
    app.get('/', (_request, reply) => sendProblem(reply, problemOf('forbidden', 'no')))
    const reply = await app.inject('/')
    expect(reply.statusCode).toBe(403)
    expect(reply.headers['www-authenticate']).toBeUndefined()
  })
})
