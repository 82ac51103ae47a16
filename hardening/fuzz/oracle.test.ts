// The oracle's own rules can fail: a method a path does not define must be 405 with the
// path's Allow (ERR-019), and a 400 must never be for a query parameter the operation does
// not define (ERR-020).
import { describe, expect, it } from 'vitest'
import { judge } from './oracle.ts'
import type { FuzzRequest } from './requests.ts'
import type { Sent } from './send.ts'

const PROBLEM = { 'content-type': 'application/problem+json' }

function request(overrides: Partial<FuzzRequest>): FuzzRequest {
  return {
    operationId: '(stray)',
    method: 'GET',
    template: '/v1/keys',
    params: {},
    query: [],
    credential: { kind: 'bearer', who: 'admin' },
    contentType: undefined,
    body: { kind: 'none' },
    headers: {},
    ...overrides,
  }
}

function answer(url: string, status: number, headers: Record<string, string>, body: Record<string, unknown>): Sent {
  return { url, credential: 'bearer:admin', exchange: { status, headers, text: JSON.stringify(body), body } }
}

const problem = (status: number, code: string, extra: Record<string, unknown> = {}) => ({ type: `urn:authconform:problem:${code}`, title: code, status, detail: code, code, ...extra })

describe('ERR-019 in the oracle', () => {
  const trace = request({ method: 'TRACE' })
  it.each([
    ['a 404', answer('/v1/keys', 404, PROBLEM, problem(404, 'not_found')), /405 is due, got 404/],
    ['a 405 whose Allow leaves out HEAD', answer('/v1/keys', 405, { ...PROBLEM, allow: 'GET, POST, OPTIONS' }, problem(405, 'method_not_allowed')), /Allow GET, POST, OPTIONS, expected/],
  ])('flags %s to TRACE /v1/keys', (_case, sent, violation) => {
    expect(judge(trace, sent).join('\n')).toMatch(violation)
  })

  it('accepts 405 with the Allow of the path, in any order', () => {
    const sent = answer('/v1/keys', 405, { ...PROBLEM, allow: 'OPTIONS, POST, HEAD, GET' }, problem(405, 'method_not_allowed'))
    expect(judge(trace, sent)).toEqual([])
  })

  it('accepts 404 on a control path (a target without the control extension)', () => {
    expect(judge(request({ method: 'PUT', template: '/__control/clock' }), answer('/__control/clock', 404, PROBLEM, problem(404, 'not_found')))).toEqual([])
  })
})

describe('ERR-020 in the oracle', () => {
  const list = (query: Array<[string, string]>) => request({ operationId: 'listRecords', template: '/v1/datasets/{name}/records', params: { name: { text: 'orders' } }, query })
  const refused = (name: string) => answer('/v1/datasets/orders/records', 400, PROBLEM, problem(400, 'invalid_request', { errors: [{ in: 'query', path: name, message: 'is not allowed' }] }))

  it('flags a 400 that names a query parameter the operation does not define', () => {
    expect(judge(list([['sort', 'x']]), refused('sort'))).toContain('the unknown query parameter sort was refused (400)')
  })

  it('leaves a 400 for a defined parameter alone', () => {
    expect(judge(list([['limit', '0']]), refused('limit')).filter((violation) => violation.includes('unknown query'))).toEqual([])
  })
})
