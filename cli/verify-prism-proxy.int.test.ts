// Schema conformance cross-checked by a validator nobody here wrote: `authconform verify`
// runs against the mock through Prism's validation proxy (`prism proxy --errors`), which
// checks every response against openapi/generated/bundle.yaml and answers a violation with
// its own 500 — so the case that met it fails, and exit 0 means Prism found none. A second
// mock, deliberately broken, proves that Prism does flag a violation on this path.
//
// It lives beside the other `verify` CLI tests rather than under suites/harness/: it starts
// the mock in process and reads its log, which the suites (HTTP only) must never do.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { operations } from '../openapi/contract.ts'
import { createMock, type RunningMock } from '../mock/server.ts'
import type { RunResults } from '../reports/results.ts'
import { freePort } from '../support/free-port.ts'
import { startPrismProxy, type PrismProxy } from './prism-proxy-test-support.ts'

const BIN = fileURLToPath(new URL('../bin/authconform.js', import.meta.url))
const PRISM_ERROR = 'https://stoplight.io/prism/errors#'

/**
 * The requirements whose cases bring out the contract's kinds of answers — every operation,
 * its success shape and its 400/401/403/404/409/413/415/429 problems, challenge and
 * rate-limit headers — chosen to keep the run short: on this 2-core machine under load the
 * whole catalogue took ~6 min through Prism, this selection 1.5–3 min (35–55 s when the
 * machine was quiet). Left out, because they replay the same answers to test behaviour
 * over time or in bulk: token and session lifetimes, revocation cascades (AUTH-002…005,
 * -007, -012, SESS-002, -005, -007, -011, KEY-002, -004, -006, -007, DISC-003); rate-limit
 * windows filled to the brim, thousands of requests each (DISC-005, ERR-013), and the
 * further 429 cases (ERR-009…011: ERR-012 brings the 429 and its headers); the permission
 * semantics, mostly the 20-scenario evaluator differential (PERM-001…009, -011, -015,
 * -017); paging through 100+ records (PERM-018: a page is a listRecords answer like any
 * other). And ERR-002, with ERR-001 and -017 whose cases it does not bring in through
 * another ID: they send malformed JSON, which Prism parses itself and answers with its own
 * 400 ({"error":{"code":"invalid_json"}}), so the mock's answer is never seen. The coverage
 * test below checks that the selection still brings a success answer of every operation.
 */
const SELECTED = [
  ...['DISC-001', 'DISC-002', 'DISC-004'],
  ...['AUTH-001', 'AUTH-006', 'AUTH-008', 'AUTH-009', 'AUTH-010', 'AUTH-011', 'AUTH-013', 'AUTH-014'],
  ...['SESS-001', 'SESS-003', 'SESS-004', 'SESS-006', 'SESS-008', 'SESS-009', 'SESS-010'],
  ...['KEY-001', 'KEY-003', 'KEY-005', 'KEY-008', 'KEY-009'],
  ...['PERM-010', 'PERM-012', 'PERM-013', 'PERM-014', 'PERM-016', 'PERM-019'],
  ...['ERR-003', 'ERR-004', 'ERR-005', 'ERR-006', 'ERR-007', 'ERR-008', 'ERR-012', 'ERR-014', 'ERR-015', 'ERR-016', 'ERR-018'],
]

/** Cases Prism answers itself instead of forwarding: nothing of the mock's to check there. */
const PRISM_ANSWERS_ITSELF = [
  {
    id: 'ERR-005 ERR-007 no Authorization header is 401 invalid_token',
    reason:
      "Prism's security check cannot be switched off in proxy mode (prism-cli createServer: checkSecurity: true); with --errors a protected operation without credentials gets Prism's own 401 (WWW-Authenticate: Bearer)",
  },
  { id: 'ERR-014 ERR-001 an unknown route is 404 not_found', reason: 'with --errors Prism answers a route the document lacks itself (NO_PATH_MATCHED_ERROR)' },
  { id: 'ERR-014 ERR-001 an unknown route outside /v1 is 404 not_found', reason: 'with --errors Prism answers a route the document lacks itself (NO_PATH_MATCHED_ERROR)' },
  { id: 'ERR-014 OPTIONS on an unknown path is 404 not_found', reason: 'with --errors Prism answers a route the document lacks itself (NO_PATH_MATCHED_ERROR)' },
  {
    id: 'SESS-003 a password with a colon is split at the first colon only',
    reason:
      'Prism bug: its Basic check (prism-http security/handlers/basicAuth.js, isBasicToken) wants exactly one colon in the decoded credentials, though RFC 7617 allows colons in the password; it answers 401 itself',
  },
]

interface Answer {
  method: string
  path: string
  status: number
}

interface MockBehindPrism {
  mock: RunningMock
  prism: PrismProxy
  /** What the mock answered, from its request log. */
  answers(): Answer[]
  stop(): Promise<void>
}

const taken = new Set<number>()
/** A free port none of this file's servers was given yet. */
async function unusedPort(): Promise<number> {
  let port: number
  do port = await freePort()
  while (taken.has(port))
  taken.add(port)
  return port
}

/** The mock in process (logging one JSON line per request) and Prism in front of it. */
async function startMockBehindPrism(defects: string[]): Promise<MockBehindPrism> {
  const [prismPort, mockPort] = [await unusedPort(), await unusedPort()]
  let log = ''
  const destination = new PassThrough()
  destination.on('data', (chunk) => (log += chunk))
  // The mock announces Prism as its issuer, so discovery's jwks_uri leads through Prism too.
  const mock = await createMock({ port: mockPort, publicUrl: `http://127.0.0.1:${prismPort}`, control: true, defects, logLevel: 'info', logDestination: destination })
  const prism = await startPrismProxy(`http://127.0.0.1:${mockPort}`, prismPort).catch(async (error) => {
    await mock.close()
    throw error
  })
  return {
    mock,
    prism,
    answers: () =>
      log
        .split('\n')
        .filter((line) => line.includes('"msg":"request"'))
        .map((line) => JSON.parse(line) as Answer),
    stop: async () => {
      await prism.stop()
      await mock.close()
    },
  }
}

let correct: MockBehindPrism
let broken: MockBehindPrism

// Both started at once: Prism takes a while to load the bundle. Whichever did start is
// kept, so that afterAll stops it even when the other failed.
beforeAll(async () => {
  const [first, second] = await Promise.allSettled([startMockBehindPrism([]), startMockBehindPrism(['www-authenticate-missing'])])
  if (first.status === 'fulfilled') correct = first.value
  if (second.status === 'fulfilled') broken = second.value
  for (const started of [first, second]) if (started.status === 'rejected') throw started.reason
}, 240_000)

afterAll(async () => {
  await Promise.all([correct?.stop(), broken?.stop()])
})

/** What Prism passed on: "The upstream call to /v1/keys has returned 200". */
function forwardedBy(prism: PrismProxy): string[] {
  return [...prism.output().matchAll(/The upstream call to (\S+) has returned (\d{3})/g)].map(([, path, status]) => `${path} ${status}`)
}

/** Prism's own answers: "Request terminated with error: https://stoplight.io/prism/errors#UNAUTHORIZED: …". */
function terminatedBy(prism: PrismProxy): string[] {
  return [...prism.output().matchAll(/\] (\w+ \S+) .*Request terminated with error: (\S*#\w+|\w+)/g)].map(([, request, error]) => `${request} ${error}`)
}

/** A forged bearer token on a protected operation: the mock must answer 401 with a challenge. */
function forgedTokenProbe(prism: PrismProxy) {
  return request(`${prism.url}/v1/keys`, { headers: { authorization: 'Bearer not-a-token' } })
}

/** The operation a served path belongs to; the most literal template wins. */
function operationOf(method: string, path: string): string | undefined {
  const parameters = (template: string): number => template.split('{').length
  return operations()
    .filter((operation) => operation.method === method.toLowerCase())
    .filter((operation) => new RegExp(`^${operation.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path))
    .sort((a, b) => parameters(a.path) - parameters(b.path))[0]?.operationId
}

describe('authconform verify through Prism’s validation proxy', () => {
  const reportDir = mkdtempSync(join(tmpdir(), 'authconform-prism-verify-'))
  let status: number | null
  let output = ''
  let results: RunResults

  beforeAll(async () => {
    const { mock, prism } = correct
    const expectedFailures = join(reportDir, 'prism-answers-itself.json')
    writeFileSync(expectedFailures, JSON.stringify(PRISM_ANSWERS_ITSELF))
    const args = ['--target', prism.url, '--admin-key', mock.adminKey, '--admin-secret', mock.adminSecret, '--requirements', SELECTED.join(',')]
    const child = spawn(process.execPath, [BIN, 'verify', ...args, '--expected-failures', expectedFailures, '--seed', '7', '--report-dir', reportDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    status = await new Promise((resolve) => child.on('close', resolve))
    if (!existsSync(join(reportDir, 'results.json'))) throw new Error(`verify wrote no results (exit ${status}):\n${output.slice(-4000)}`)
    results = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8'))
  }, 600_000)

  it('exits 0: every selected case passed, so Prism found no violation', () => {
    expect(status, output.slice(-4000)).toBe(0)
    expect(results.counts.failed).toBe(0)
    expect(results.counts.passed).toBeGreaterThan(200)
    expect(results.staleExpectedFailures).toEqual([])
  })

  it('excuses only cases that Prism answered itself, never one the mock answered', () => {
    const excused = results.cases.filter((result) => result.status === 'expected_failure')
    expect(new Set(excused.map((result) => result.name))).toEqual(new Set(PRISM_ANSWERS_ITSELF.map((entry) => entry.id)))
    for (const result of excused) {
      expect(result.transcript?.at(-1)?.responseBody, result.id).toContain(PRISM_ERROR)
    }
  })

  it('had every answer of the mock pass through Prism’s validator, and Prism objected to none', async () => {
    const served = correct.answers().map(({ path, status: code }) => `${path} ${code}`)
    expect(served.length).toBeGreaterThan(500)
    // Prism logs a forward once the upstream answered; its pipe may still be draining.
    await expect.poll(() => forwardedBy(correct.prism).sort(), { timeout: 5000 }).toEqual(served.sort())
    const own = terminatedBy(correct.prism)
    expect(own.filter((line) => line.includes('VIOLATIONS'))).toEqual([])
    expect(own.every((line) => /#(UNAUTHORIZED|NO_PATH_MATCHED_ERROR)$/.test(line)), own.join('\n')).toBe(true)
  })

  it('had a success answer of every operation validated by Prism', () => {
    const succeeded = new Set(correct.answers().filter((answer) => answer.status < 300).map(({ method, path }) => operationOf(method, path)))
    // The suites call the control extension only as far as they need it (no reset, no clearing of every fault).
    const control = new Set(['test_control', 'test_faults'])
    const without = operations().filter((operation) => !succeeded.has(operation.operationId) && !control.has(operation.feature ?? ''))
    expect(without.map((operation) => `${operation.method.toUpperCase()} ${operation.path}`)).toEqual([])
  })

  it('passes a correct 401 on untouched: the control for the broken mock below', async () => {
    const response = await forgedTokenProbe(correct.prism)
    await response.body.dump()
    expect(response.statusCode).toBe(401)
    expect(response.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/)
    expect(response.headers['sl-violations']).toBeUndefined()
  })
})

// problem-as-plain-json would be the other candidate, but Prism does not compare a
// response's media type with the documented one: it passes application/json for
// application/problem+json without a word. A missing required header it does flag.
describe('Prism flags a mock that breaks the contract (www-authenticate-missing)', () => {
  it('answers the 401 without a challenge with its own 500 naming the missing header, and logs it', async () => {
    const response = await forgedTokenProbe(broken.prism)
    const body = (await response.body.json()) as { type: string; validation: Array<{ location: string[]; code: string; message: string }> }
    expect(response.statusCode).toBe(500)
    expect(body.type).toBe(`${PRISM_ERROR}VIOLATIONS`)
    expect(body.validation).toEqual([
      { location: ['response', 'header'], severity: 'Error', code: 'required', message: "Response header must have required property 'www-authenticate'" },
    ])
    // Prism logs the violation after it has answered.
    await expect.poll(() => terminatedBy(broken.prism), { timeout: 5000 }).toEqual([`get /v1/keys ${PRISM_ERROR}VIOLATIONS`])
  })
})
