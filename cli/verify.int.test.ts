// One full `authconform verify` against the embedded mock: every MUST passes (exit 0)
// and the reports are written. Kept to a single run: it grows with the suites.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import type { RunResults } from '../reports/results.ts'
import { REPORT_FILES } from '../reports/write-reports.ts'

const BIN = fileURLToPath(new URL('../bin/authconform.js', import.meta.url))
const reportDir = mkdtempSync(join(tmpdir(), 'authconform-verify-'))
let status: number | null
let output = ''

beforeAll(async () => {
  const child = spawn(process.execPath, [BIN, 'verify', '--report-dir', reportDir, '--seed', '7'], { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  status = await new Promise((resolve) => child.on('close', resolve))
}, 900_000)

describe('authconform verify against the embedded mock', () => {
  it('exits 0: every MUST passed', () => {
    expect(status, output.slice(-4000)).toBe(0)
  })

  it.each(Object.keys(REPORT_FILES))('writes %s', (name) => {
    expect(existsSync(join(reportDir, name))).toBe(true)
  })

  it('reports a passed run with cases in every area and no failures', () => {
    const results = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8')) as RunResults
    expect(results.verdict).toBe('passed')
    expect(results.counts.failed).toBe(0)
    expect(results.run.timeStrategy).toBe('control')
    expect(new Set(results.cases.map((result) => result.area))).toEqual(new Set(results.run.areas))
  })
})
