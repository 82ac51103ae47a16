// `--time wait` for real (issue 4): against a target without the control extension but
// with short TTLs, the expiry cases let real time pass and pass — not "not verified", not
// skipped. The mock runs in this process; verify is spawned as a user runs it.
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

const reportDir = mkdtempSync(join(tmpdir(), 'authconform-wait-'))
let mock: RunningMock
let status: number | null
let output = ''
let wallMs: number
let results: RunResults

beforeAll(async () => {
  mock = await createMock({ port: 0, accessTtl: ACCESS_TTL, refreshTtl: REFRESH_TTL })
  const args = [
    BIN, 'verify',
    '--target', mock.url,
    '--admin-key', mock.adminKey,
    '--admin-secret', mock.adminSecret,
    '--time', 'wait',
    '--max-wait', String(MAX_WAIT),
    '--requirements', EXPIRY_REQUIREMENTS.join(','),
    '--report-dir', reportDir,
  ]
  const started = performance.now()
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  status = await new Promise((resolve) => child.on('close', resolve))
  wallMs = performance.now() - started
  results = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8'))
}, 120_000)

afterAll(async () => {
  await mock?.close()
  rmSync(reportDir, { recursive: true, force: true })
})

/** The cases that let time pass: the lifetime probes of the clock suite. */
const expiryCases = (): CaseResult[] => results.cases.filter((result) => result.file.endsWith('lifetimes.clock.suite.ts'))

describe('verify --time wait against a mock with short TTLs and no control extension', () => {
  it('runs with the wait strategy and exits 0', () => {
    expect(status, output.slice(-4000)).toBe(0)
    expect(results.run.timeStrategy).toBe('wait')
    expect(mock.features).not.toContain('test_control')
  })

  it('passes every expiry case for real: none not verified or skipped', () => {
    const cases = expiryCases()
    // Three access token issuances (AUTH-004) and two refresh token lifetimes (AUTH-005).
    expect(cases.map((result) => result.requirements[0]).sort()).toEqual(['AUTH-004', 'AUTH-004', 'AUTH-004', 'AUTH-005', 'AUTH-005'])
    expect(cases.filter((result) => result.status !== 'passed').map((result) => `${result.status} ${result.name}: ${result.message}`)).toEqual([])
    expect(results.cases.every((result) => result.status === 'passed')).toBe(true)
  })

  it('really waited: each case lasted at least the lifetime it probes past', () => {
    for (const result of expiryCases()) {
      const ttl = result.requirements.includes('AUTH-004') ? ACCESS_TTL : REFRESH_TTL
      expect(result.durationMs, result.name).toBeGreaterThanOrEqual(ttl * 1000)
    }
    // The cases run one after another in their file: the run waited at least their sum.
    expect(wallMs).toBeGreaterThanOrEqual((3 * ACCESS_TTL + 2 * REFRESH_TTL) * 1000)
  })
})
