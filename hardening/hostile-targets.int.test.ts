// `authconform verify` against targets that hang, trickle, cut the connection, answer HTML
// or send an endless body. Decided behaviour:
// - a target that misbehaves once the run is under way (the preflight went through) is a
//   failing implementation: exit 1, each case failed (or, past the budget, not verified)
//   with a reason, reports written, within --budget plus start-up and reporting;
// - a target that misbehaves from the first request is a configuration problem: exit 2
//   with one readable line, within a few --timeout-ms.
// Never a crash, never a hang.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMock, type RunningMock } from '../mock/server.ts'
import { BEHAVIOURS, startHostileTarget, type Behaviour } from './support/hostile-target.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
// Generous for the preflight's forwarded requests on a busy machine; the hostile ones never finish anyway.
const TIMEOUT_MS = 1000
const BUDGET_SECONDS = 30
/** A cancelled run still ends its cases and files (each request bounded by 2 × --timeout-ms). */
const CANCEL_SLACK_SECONDS = 10
/** verify's own start (tsx, vitest) and its reports come on top of the budget. */
const OVERHEAD_SECONDS = 60
/** discovery, admin token exchange, admin key check. */
const PREFLIGHT_REQUESTS = 3

let mock: RunningMock
const dirs: string[] = []
beforeAll(async () => {
  mock = await createMock({ port: 0 })
})
afterAll(async () => {
  await mock?.close()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

// npm test runs `mixed` (every behaviour in turn, one run); AUTHCONFORM_HOSTILE_EACH=1 runs
// one verify per behaviour as well (a few minutes).
const RUNS: Behaviour[] = process.env.AUTHCONFORM_HOSTILE_EACH ? ['mixed', ...BEHAVIOURS] : ['mixed']

describe('a target that turns hostile after the preflight', () => {
  it.each(RUNS.map((behaviour) => [behaviour]))('%s: exit 1, every case failed with a reason, within the budget', async (behaviour) => {
    const hostile = await startHostileTarget(behaviour as Behaviour, mock.url, PREFLIGHT_REQUESTS)
    try {
      const reportDir = mkdtempSync(join(tmpdir(), 'authconform-hostile-'))
      dirs.push(reportDir)
      const run = await runVerify(hostile.url, reportDir, BUDGET_SECONDS)
      const results = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8'))
      const cases: { status: string; message?: string; reason?: string; name: string }[] = results.cases
      console.log(
        `hostile ${behaviour}: exit ${run.code} in ${run.seconds.toFixed(1)} s (run ${(results.run.durationMs / 1000).toFixed(1)} s, ` +
          `budget exhausted: ${results.run.budgetExhausted}), ${cases.length} cases ${JSON.stringify(results.counts)}, ` +
          `first reason: ${(cases.find((testCase) => testCase.status !== 'passed')?.message ?? '').split('\n')[0]}`,
      )
      expect(run.signal, run.stderr).toBeNull()
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1)
      // The budget bounds the suite run; start-up and reports come on top (slow on a busy machine).
      expect(results.run.durationMs / 1000).toBeLessThan(BUDGET_SECONDS + CANCEL_SLACK_SECONDS)
      expect(run.seconds).toBeLessThan(BUDGET_SECONDS + OVERHEAD_SECONDS)
      expect(run.stderr).not.toMatch(/^\s+at /m) // no stack trace
      expect(hostile.hostileRequests()).toBeGreaterThan(0)
      expect(cases.length).toBeGreaterThan(0)
      // DISC-001/002 judge the preflight's discovery document and the JWKS at the jwks_uri it
      // names — the real mock behind the hostile front — so they may pass; nothing else may.
      const passed = cases.filter((testCase) => testCase.status === 'passed').map((testCase) => testCase.name)
      expect(passed.filter((name) => !/^DISC-00[12] /.test(name))).toEqual([])
      expect(cases.filter((testCase) => testCase.status === 'failed').length).toBeGreaterThan(0)
      const unexplained = cases.filter((testCase) => testCase.status !== 'passed' && !(testCase.message ?? testCase.reason ?? '').trim())
      expect(unexplained.map((testCase) => `${testCase.status} ${testCase.name}`)).toEqual([])
      if (behaviour === 'mixed') {
        const reasons = cases.map((testCase) => testCase.message ?? '').join('\n')
        expect(reasons).toMatch(/no complete response within/)
        expect(reasons).toMatch(/closed the connection/)
        expect(reasons).toMatch(/contract violation/)
      }
    } finally {
      await hostile.close()
    }
  }, (BUDGET_SECONDS + OVERHEAD_SECONDS + 30) * 1000)
})

describe('a target hostile from the first request', () => {
  it.each([['hang'], ['html']] as const)('%s: exit 2 with one line, within a few timeouts', async (behaviour) => {
    const hostile = await startHostileTarget(behaviour, mock.url, 0)
    try {
      const reportDir = mkdtempSync(join(tmpdir(), 'authconform-hostile-'))
      dirs.push(reportDir)
      const run = await runVerify(hostile.url, reportDir, BUDGET_SECONDS)
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(2)
      expect(run.stderr.trim().split('\n')).toHaveLength(1)
      expect(run.stderr).toMatch(/discovery|reach|answer/i)
      expect(run.seconds).toBeLessThan(OVERHEAD_SECONDS)
    } finally {
      await hostile.close()
    }
  }, (OVERHEAD_SECONDS + 30) * 1000)
})

function runVerify(target: string, reportDir: string, budget: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; seconds: number }> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        'bin/authconform.js', 'verify', '--target', target, '--admin-key', mock.adminKey, '--admin-secret', mock.adminSecret,
        '--areas', 'discovery', '--timeout-ms', String(TIMEOUT_MS), '--budget', String(budget), '--report-dir', reportDir, '--seed', '1',
      ],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    // A verify that outlives budget and overhead by far has hung: end it so the test reports instead.
    const guard = setTimeout(() => child.kill('SIGKILL'), (budget + OVERHEAD_SECONDS + 20) * 1000)
    child.on('close', (code, signal) => {
      clearTimeout(guard)
      resolve({ code, signal, stdout, stderr, seconds: (performance.now() - started) / 1000 })
    })
  })
}
