// Every method Node's HTTP parser accepts (http.METHODS, CONNECT and QUERY included) on
// every path of the contract, the control paths and unknown paths, with and without a
// body: never a 5xx. A method the path defines gets its real, documented answer (HEAD
// that of GET, OPTIONS 204 with Allow); any other method 405 `method_not_allowed` with
// the path's Allow (ERR-019); an unknown path 404 (ERR-014) — and so does every control
// path of a mock started without the control extension.
import { METHODS } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allowedMethodsOf, checkResponse } from '../../suites/harness/contract-check.ts'
import { contract } from '../../openapi/bundle.ts'
import { rawAnswers, rawExchange, type RawAnswer } from '../../support/raw-http.ts'
import { createMock, type RunningMock } from '../server.ts'

const CONTRACT_PATHS = Object.keys(contract.paths).map((template) => template.replace(/\{\w+\}/g, 'probe'))
const UNKNOWN_PATHS = ['/v1/no-such-route', '/nothing-here', '/']
const BODIES: [string, { headers?: Record<string, string>; body?: string }][] = [
  ['without a body', {}],
  ['with a JSON body', { headers: { 'content-type': 'application/json' }, body: '{}' }],
]
const CONCURRENCY = 8

let withControl: RunningMock
let withoutControl: RunningMock
beforeAll(async () => {
  ;[withControl, withoutControl] = await Promise.all([
    createMock({ port: 0, logLevel: 'silent', control: true }),
    createMock({ port: 0, logLevel: 'silent' }),
  ])
})
afterAll(async () => {
  await Promise.all([withControl?.close(), withoutControl?.close()])
})

const allowSet = (allow: string | undefined) => (allow ?? '').split(',').map((method) => method.trim()).filter(Boolean).sort()

/** What is wrong with `answer` to `method path` (empty when nothing is). */
function deviations(method: string, path: string, answer: RawAnswer, controlOn: boolean, statusOfGet: number | undefined): string[] {
  if (answer.status >= 500) return [`${answer.status} ${answer.text.slice(0, 200)}`]
  const allowed = path.startsWith('/__control/') && !controlOn ? undefined : allowedMethodsOf(path)
  const problem = (status: number, code: string): string[] => {
    const body = answer.text ? (JSON.parse(answer.text) as Record<string, unknown>) : {}
    const type = answer.headers['content-type'] ?? ''
    const ok = answer.status === status && type.startsWith('application/problem+json') && (method === 'HEAD' || (body.code === code && body.status === status))
    return ok ? [] : [`expected ${status} ${code}, got ${answer.status} ${type} ${answer.text.slice(0, 200)}`]
  }
  if (allowed === undefined) return problem(404, 'not_found')
  if (!allowed.includes(method)) {
    const wrongAllow = JSON.stringify(allowSet(answer.headers.allow)) === JSON.stringify([...allowed].sort()) ? [] : [`Allow ${answer.headers.allow}, expected ${allowed.join(', ')}`]
    return [...problem(405, 'method_not_allowed'), ...wrongAllow]
  }
  if (method === 'OPTIONS') {
    return answer.status === 204 && JSON.stringify(allowSet(answer.headers.allow)) === JSON.stringify([...allowed].sort())
      ? []
      : [`OPTIONS: ${answer.status} Allow ${answer.headers.allow}, expected 204 Allow ${allowed.join(', ')}`]
  }
  if (method === 'HEAD') return answer.status === statusOfGet && answer.text === '' ? [] : [`HEAD ${answer.status}, GET ${statusOfGet}`]
  const body = answer.text && /json/.test(answer.headers['content-type'] ?? '') ? JSON.parse(answer.text) : answer.text || undefined
  return checkResponse({ method, path, status: answer.status, headers: answer.headers, body, text: answer.text }).violations
}

/** Runs `probe` over `items`, a few at a time. */
async function inBatches<T>(items: T[], probe: (item: T) => Promise<string[]>): Promise<string[]> {
  const found: string[] = []
  for (let at = 0; at < items.length; at += CONCURRENCY) found.push(...(await Promise.all(items.slice(at, at + CONCURRENCY).map(probe))).flat())
  return found
}

describe.each([
  ['with the control extension', () => withControl, true, [...CONTRACT_PATHS, ...UNKNOWN_PATHS]],
  ['without the control extension', () => withoutControl, false, CONTRACT_PATHS.filter((path) => path.startsWith('/__control/'))],
])('a mock %s', (_name, mock, controlOn, paths) => {
  it.each(METHODS.map((method) => [method]))('%s on every path: the documented answer, 405 with Allow, or 404 — never 5xx', async (method) => {
    const getStatus = new Map<string, number>()
    if (method === 'HEAD') {
      for (const path of paths) getStatus.set(path, (await rawExchange(mock().url, { method: 'GET', target: path })).status)
    }
    const probes = paths.flatMap((path) => BODIES.map(([bodyName, body]) => ({ path, bodyName, body })))
    const found = await inBatches(probes, async ({ path, bodyName, body }) => {
      const answer = await rawExchange(mock().url, { method, target: path, ...body })
      return deviations(method, path, answer, controlOn, getStatus.get(path)).map((deviation) => `${method} ${path} ${bodyName}: ${deviation}`)
    })
    expect(found).toEqual([])
  })
})

describe('a CONNECT pipelined behind other requests on one connection', () => {
  // Node hands over a CONNECT as soon as it reads it; answered then, it took the connection
  // from the earlier answer still writing, and the error ended the mock's process.
  it('is answered after them, in order, and the mock serves on', async () => {
    const requests = ['GET /.well-known/auth-configuration', 'GET /nothing-here', 'CONNECT example.com:443']
    const bytes = requests.map((line) => `${line} HTTP/1.1\r\nhost: localhost\r\n\r\n`).join('')
    const answers = await rawAnswers(withoutControl.url, bytes, requests.length)
    expect(answers.map(({ status }) => status)).toEqual([200, 404, 404])
    expect((await rawExchange(withoutControl.url, { method: 'GET', target: '/.well-known/auth-configuration' })).status).toBe(200)
  })
})
