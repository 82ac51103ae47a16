// What the fuzzer found (issue 7), one request each, kept as regression tests: every
// answer must be one the contract documents for the operation (the harness's contract
// check), with the status the contract's rules give (its info description: bare OPTIONS
// 204 with Allow, path ids outside their bounds 404, bodies of bodiless operations
// ignored, a JSON null where an object is optional 400).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMock, type RunningMock } from '../mock/server.ts'
import { checkResponse } from '../suites/harness/contract-check.ts'
import { jsonClient, type JsonClient } from './support/http.ts'

let mock: RunningMock
let http: JsonClient
let admin: string
beforeAll(async () => {
  mock = await createMock({ port: 0, control: true })
  http = jsonClient(mock.url)
  admin = (await http.adminToken(mock.adminKey, mock.adminSecret)).access_token
})
afterAll(async () => {
  await http?.close()
  await mock?.close()
})

interface Finding {
  method: string
  path: string
  body?: string
  contentType?: string
  headers?: Record<string, string>
  /** Statuses the request may get; undefined: whatever the contract documents. */
  expected?: number[]
}

const id101 = 'k'.repeat(101)
const id129 = 'k'.repeat(129)
const FINDINGS: [string, Finding][] = [
  ['OPTIONS without CORS preflight headers is 204, not a text/plain 400', { method: 'OPTIONS', path: '/v1/keys', expected: [204] }],
  ['a 101-character user id (maxLength 128 allows it) is 404, not 400', { method: 'GET', path: `/v1/users/${id101}`, expected: [404] }],
  ['a 129-character user id is 404 (it names no user), which GET /v1/users/{id} documents', { method: 'GET', path: `/v1/users/${id129}`, expected: [404] }],
  ['a 129-character session id is 404, which DELETE /v1/sessions/{id} documents', { method: 'DELETE', path: `/v1/sessions/${id129}`, expected: [404] }],
  ['malformed percent-encoding in a key id is 404, which GET /v1/keys/{id} documents', { method: 'GET', path: '/v1/keys/%ZZ', expected: [404] }],
  ['a text/plain body on DELETE /v1/keys/{id} (no body defined) is ignored', { method: 'DELETE', path: '/v1/keys/key_nothing0000000000000', body: 'x', contentType: 'text/plain', expected: [404] }],
  ['malformed JSON on POST /v1/keys/{id}/rotate (no body defined) is ignored', { method: 'POST', path: '/v1/keys/key_nothing0000000000000/rotate', body: '{', contentType: 'application/json', expected: [404] }],
  ['a JSON null body on POST /__control/reset (ControlReset is an object) is refused', { method: 'POST', path: '/__control/reset', body: 'null', contentType: 'application/json', expected: [400] }],
]

describe('fuzz findings', () => {
  it.each(FINDINGS)('%s', async (_name, finding) => {
    const reply = await http.call(finding.method, finding.path, {
      token: admin,
      headers: { ...(finding.contentType && { 'content-type': finding.contentType }), ...finding.headers },
      ...(finding.body !== undefined && { rawBody: finding.body }),
    })
    const violations = checkResponse({ method: finding.method, path: finding.path, status: reply.status, headers: reply.headers, body: reply.body, text: reply.text }).violations
    expect(violations, `${reply.status} ${reply.text.slice(0, 200)}`).toEqual([])
    if (finding.expected) expect(finding.expected, reply.text.slice(0, 200)).toContain(reply.status)
  })
})
