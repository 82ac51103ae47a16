import { describe, expect, it } from 'vitest'
import { checkResponse, type CheckedResponse } from './contract-check.ts'

const problem = (status: number, code: string) => ({
  type: `urn:authconform:problem:${code}`,
  title: 'Problem',
  status,
  detail: 'detail',
  code,
})
const challenge = 'Bearer realm="authconform", error="invalid_token", error_description="x"'
const json = { 'content-type': 'application/json' }
const problemJson = { 'content-type': 'application/problem+json' }

function response(partial: Partial<CheckedResponse> & { body?: unknown }): CheckedResponse {
  const body = partial.body
  return {
    method: 'GET',
    path: '/v1/keys',
    status: 200,
    headers: json,
    text: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
    ...partial,
    body,
  }
}

describe('checkResponse', () => {
  it.each([
    ['a valid key list', response({ body: { items: [] } })],
    ['a documented 401 problem with its challenge', response({ status: 401, headers: { ...problemJson, 'www-authenticate': challenge }, body: problem(401, 'invalid_token') })],
    ['a 204 without body', response({ method: 'DELETE', path: '/v1/keys/key_abcdefghijklmnop', status: 204, headers: {} })],
    ['an unknown route answered with a problem', response({ path: '/v1/nope', status: 404, headers: problemJson, body: problem(404, 'not_found') })],
  ])('accepts %s', (_, checked) => {
    expect(checkResponse(checked).violations).toEqual([])
  })

  it.each([
    ['an undocumented status', response({ status: 500, headers: problemJson, body: problem(500, 'internal_error') }), /status 500 is not documented/],
    ['a body that breaks the schema', response({ body: { items: 'no' } }), /body\/items must be array/],
    ['a missing required header', response({ status: 401, headers: problemJson, body: problem(401, 'invalid_token') }), /header WWW-Authenticate is required but missing/],
    ['an error that is not problem+json', response({ status: 403, headers: json, body: problem(403, 'forbidden') }), /must be application\/problem\+json/],
    ['a JSON media type that is not JSON', response({ body: '{not json' }), /not valid JSON/],
    ['an unknown route answered with plain text', response({ path: '/v1/nope', status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' }), /problem\+json/],
    ['a problem with an unknown code', response({ status: 403, headers: problemJson, body: problem(403, 'nope') }), /body\/code must be equal to one of the allowed values/],
  ])('reports %s', (_, checked, message) => {
    const result = checkResponse(checked)
    expect(result.violations.join('\n')).toMatch(message)
  })

  it('takes a JSON string body for JSON, judged by the schema (not as unparsable text)', () => {
    const violations = checkResponse(response({ body: 'OK', text: '"OK"' })).violations.join('\n')
    expect(violations).not.toMatch(/not valid JSON/)
    expect(violations).toMatch(/body must be object/)
  })

  it('names the operation and the JSON path of the violation', () => {
    const result = checkResponse(response({ method: 'POST', path: '/v1/auth/token', body: { access_token: 1 } }))
    expect(result.operation).toBe('exchangeToken')
    expect(result.violations.join('\n')).toMatch(/POST \/v1\/auth\/token → 200: body\/access_token must be string/)
  })

  it('validates integer headers by their schema', () => {
    const tooMany = response({
      method: 'POST',
      path: '/v1/auth/token',
      status: 429,
      headers: { ...problemJson, 'retry-after': '0', 'ratelimit-limit': '30', 'ratelimit-remaining': 'x', 'ratelimit-reset': '5' },
      body: problem(429, 'rate_limited'),
    })
    const violations = checkResponse(tooMany).violations.join('\n')
    expect(violations).toMatch(/Retry-After: '0' must be >= 1/)
    expect(violations).toMatch(/RateLimit-Remaining: 'x' is not of type integer/)
  })
})
