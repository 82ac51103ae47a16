// expectProblem holds a case to what the contract states: a status the called operation
// does not document, or a code it does not document for that status, is a SuiteError
// whatever the target answered; a documented one is then checked against the answer.
import { describe, expect, it } from 'vitest'
import { expectProblem } from './assertions.ts'
import type { ApiResponse } from './client.ts'
import { documentedStatus } from './contract-check.ts'
import { SuiteError } from './errors.ts'

function answer(method: string, path: string, status: number, code: string): ApiResponse<any> {
  const body = { type: `urn:authconform:problem:${code}`, title: 't', status, detail: 'd', code }
  return {
    status,
    headers: { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer realm="x", error="invalid_token"' },
    body,
    text: JSON.stringify(body),
    request: { method, path },
  }
}

describe('documentedStatus', () => {
  it.each([
    ['GET', '/v1/sessions', 401, ['invalid_token', 'token_expired', 'token_revoked', 'invalid_credentials']],
    ['POST', '/v1/auth/refresh', 401, ['invalid_token', 'token_expired', 'token_revoked']],
    ['POST', '/v1/auth/token', 401, ['invalid_credentials']],
    ['DELETE', '/v1/keys/key_AAAAAAAAAAAAAAAAAAAA', 404, ['not_found']],
    ['GET', '/v1/keys', 409, undefined],
  ] as const)('%s %s %i → %j', (method, path, status, codes) => {
    expect(documentedStatus(method, path, status)?.codes?.sort()).toEqual(codes && [...codes].sort())
  })

  it('knows nothing of a route the contract does not have', () => {
    expect(documentedStatus('GET', '/v1/no-such-route', 404)).toBeUndefined()
  })
})

describe('expectProblem', () => {
  it('passes a documented status and code the target answered', () => {
    expect(expectProblem(answer('GET', '/v1/sessions', 401, 'invalid_credentials'), 401, 'invalid_credentials').code).toBe('invalid_credentials')
    expect(expectProblem(answer('POST', '/v1/auth/refresh', 401, 'token_revoked'), 401).code).toBe('token_revoked')
  })

  it.each([
    ['a code the operation does not document for the status', answer('POST', '/v1/auth/refresh', 401, 'invalid_credentials'), 401, 'invalid_credentials',
      /expects 401 invalid_credentials from POST \/v1\/auth\/refresh \(refreshToken\), which documents 401 with invalid_token, token_expired, token_revoked only/],
    ['a status the operation does not document', answer('GET', '/v1/keys', 409, 'conflict'), 409, 'conflict',
      /expects 409 from GET \/v1\/keys \(listKeys\), which does not document 409 \(documented: 200, 401, 403/],
  ] as const)('refuses %s as the suite’s error, whatever the target answered', (_, response, status, code, message) => {
    expect(() => expectProblem(response, status, code)).toThrow(SuiteError)
    expect(() => expectProblem(response, status, code)).toThrow(message)
  })

  it('leaves unknown routes to the catalogue', () => {
    expect(expectProblem(answer('GET', '/v1/no-such-route', 404, 'not_found'), 404, 'not_found').status).toBe(404)
  })

  it('still fails an answer that differs from a documented expectation', () => {
    expect(() => expectProblem(answer('GET', '/v1/sessions', 401, 'invalid_token'), 401, 'invalid_credentials')).toThrow(/401 invalid_credentials expected/)
  })
})
