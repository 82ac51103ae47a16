// `--time wait` for real (issue 4): against a target without the control extension but
// with short TTLs, the expiry cases let real time pass and pass — not "not verified", not
// skipped; only the exact-instant cases, which need the control clock, are not verified
// and say so (accepted here with --allow-unverified). And `--time skip` against the same
// target: those MUST cases are not verified, so the run is INCOMPLETE (exit 3) and says
// which and why — never PASSED. The mock runs in this process; verify is spawned as a
// user runs it.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMock, type RunningMock } from '../mock/server.ts'
import type { CaseResult, RunResults } from '../reports/results.ts'

const BIN = fileURLToPath(new URL('../bin/authconform.js', import.meta.url))
// Short enough for a quick test, long enough that a probe one second inside a lifetime
// is not pushed over its edge by a busy machine.
const ACCESS_TTL = 2
const REFRESH_TTL = 4
/** AUTH-004 access token expiry, AUTH-005 refresh token expiry. */
const EXPIRY_REQUIREMENTS = ['AUTH-004', 'AUTH-005']
// The longest case waits two refresh lifetimes (AUTH-005, a refresh token's own lifetime).
const MAX_WAIT = 2 * REFRESH_TTL + 2
/** Why an exact-instant case is not verified without the control clock. */
const NEEDS_CONTROL = /^probing an exact second of the target's clock needs --time control \(with --time (wait|skip) no request can be placed inside a given second\)$/

const reportDir = mkdtempSync(join(tmpdir(), 'authconform-wait-'))
let mock: RunningMock
let status: number | null
let output = ''
let wallMs: number
let results: RunResults

/** `authconform verify` against the mock for the expiry requirements, as a user runs it. */
async function verify(dir: string, ...args: string[]): Promise<{ status: number | null; output: string; results: RunResults }> {
  const child = spawn(
    process.execPath,
    [BIN, 'verify', '--target', mock.url, '--admin-key', mock.adminKey, '--admin-secret', mock.adminSecret, '--requirements', EXPIRY_REQUIREMENTS.join(','), '--report-dir', dir, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let text = ''
  child.stdout.on('data', (chunk) => (text += chunk))
  child.stderr.on('data', (chunk) => (text += chunk))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { status: code, output: text, results: JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) }
}

beforeAll(async () => {
  mock = await createMock({ port: 0, accessTtl: ACCESS_TTL, refreshTtl: REFRESH_TTL })
  const started = performance.now()
  ;({ status, output, results } = await verify(reportDir, '--time', 'wait', '--max-wait', String(MAX_WAIT), '--allow-unverified'))
  wallMs = performance.now() - started
}, 120_000)

afterAll(async () => {
  await mock?.close()
  rmSync(reportDir, { recursive: true, force: true })
})

/**
 * What a case must have waited. Lifetimes count from the whole second of issue (iat), which
 * may begin up to a second before the case did. A probe at iat + TTL + 1 s is still a whole
 * lifetime after the case began; the probe just past the first refresh token's expiry
 * (iat + TTL, the case of a lifetime counted from its own issue) is more than TTL − 1 s after it.
 */
function leastWaitMs(result: CaseResult): number {
  if (result.name.includes('counts from its own issue')) return (REFRESH_TTL - 1) * 1000
  return (result.requirements.includes('AUTH-004') ? ACCESS_TTL : REFRESH_TTL) * 1000
}

/** The cases that let time pass: the lifetime probes of the clock suite, but for the exact-instant ones. */
const expiryCases = (): CaseResult[] =>
  results.cases.filter((result) => result.file.endsWith('lifetimes.clock.suite.ts') && !NEEDS_CONTROL.test(result.message ?? ''))

describe('verify --time wait against a mock with short TTLs and no control extension', () => {
  it('runs with the wait strategy and exits 0 (the exact-instant cases accepted as not verified)', () => {
    expect(status, output.slice(-4000)).toBe(0)
    expect(results.run.timeStrategy).toBe('wait')
    expect(mock.features).not.toContain('test_control')
  })

  it('passes every expiry case for real: none not verified or skipped', () => {
    const cases = expiryCases()
    // Three access token issuances (AUTH-004) and two refresh token lifetimes (AUTH-005).
    expect(cases.map((result) => result.requirements[0]).sort()).toEqual(['AUTH-004', 'AUTH-004', 'AUTH-004', 'AUTH-005', 'AUTH-005'])
    expect(cases.filter((result) => result.status !== 'passed').map((result) => `${result.status} ${result.name}: ${result.message}`)).toEqual([])
    // Left over: the exact instants of three access token issuances (AUTH-004) and a refresh token (AUTH-005).
    const others = results.cases.filter((result) => result.status !== 'passed')
    expect(others.map((result) => [result.status, NEEDS_CONTROL.test(result.message ?? '')])).toEqual(Array(4).fill(['not_verified', true]))
  })

  it('really waited: each case lasted at least the lifetime it probes past', () => {
    for (const result of expiryCases()) expect(result.durationMs, result.name).toBeGreaterThanOrEqual(leastWaitMs(result))
    // The cases run one after another in their file: the run waited at least their sum.
    expect(wallMs).toBeGreaterThanOrEqual(expiryCases().reduce((sum, result) => sum + leastWaitMs(result), 0))
  })
})

describe('verify --time skip against the same mock: INCOMPLETE, not PASSED', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-skip-'))
  let skipped: Awaited<ReturnType<typeof verify>>

  beforeAll(async () => {
    skipped = await verify(dir, '--time', 'skip')
  }, 120_000)

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('exits with the documented INCOMPLETE code and says so instead of PASSED', () => {
    expect(skipped.status, skipped.output.slice(-4000)).toBe(3)
    const count = skipped.results.unverified.count
    expect(count, 'the expiry cases of AUTH-004 and AUTH-005').toBeGreaterThanOrEqual(5)
    expect(skipped.output).toContain(`\nINCOMPLETE (${count} MUST case(s) not verified; --allow-unverified accepts that)`)
    expect(skipped.output).not.toMatch(/\nPASSED/)
    expect(skipped.results).toMatchObject({ verdict: 'incomplete', exitCode: 3 })
  })

  it('says which MUST cases were not verified and why', () => {
    const unverified = skipped.results.cases.filter((result) => result.status === 'not_verified')
    expect(unverified.length).toBe(skipped.results.unverified.count)
    expect(unverified.filter((result) => result.file === 'suites/auth/lifetimes.clock.suite.ts').length).toBeGreaterThanOrEqual(5)
    const needsTime = /^needs \d+ s of target time; --time skip$/
    for (const result of unverified) expect([needsTime, NEEDS_CONTROL].some((reason) => reason.test(result.message ?? '')), result.message).toBe(true)
    expect(skipped.output).toMatch(new RegExp(`${unverified.length} MUST case\\(s\\) not verified:\\n( +\\d+ × (needs \\d+ s of target time; --time skip|probing an exact second [^\\n]+)\\n)+`))
    const markdown = readFileSync(join(dir, 'summary.md'), 'utf8')
    expect(markdown).toContain('## authconform verify: ⏸️ incomplete')
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(/<skipped message="not verified: needs \d+ s of target time; --time skip"\/>/)
  })
})
