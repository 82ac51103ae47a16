// `npx authconform mock --profile machinable`, then the seed document's own curl sequence
// (seeds/004: Basic sign-in at /sessions/, a bearer request, refresh at /sessions/refresh/),
// and the round trip: `authconform verify --profile machinable --target` against it, with
// no admin key given (the set-up endpoint hands it out), passes every applicable MUST.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { killedOnExit, stopChild } from '../../support/child-processes.ts'
import { CURL, componentOrSkip } from '../../support/system-components.ts'

const BIN = fileURLToPath(new URL('../../bin/authconform.js', import.meta.url))
const execFileAsync = promisify(execFile)
const curlPath = await componentOrSkip(CURL, 'the Machinable curl sequence')

let mock: ChildProcess
let url: string
const reports = mkdtempSync(join(tmpdir(), 'authconform-machinable-'))

beforeAll(async () => {
  mock = killedOnExit(spawn(process.execPath, [BIN, 'mock', '--profile', 'machinable', '--port', '0', '--control', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] }))
  url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`the mock printed no URL: ${out}`)), 60_000)
    mock.stdout!.on('data', (chunk) => {
      out += chunk
      const found = /listening on (http:\/\/\S+)/.exec(out)
      if (found) {
        clearTimeout(timer)
        resolve(found[1]!)
      }
    })
  })
}, 90_000)

afterAll(async () => {
  if (mock) await stopChild(mock)
  rmSync(reports, { recursive: true, force: true })
})

/** `curl -s -X METHOD URL -H …`, as the document writes it; the status on the last line. */
async function curl(method: string, path: string, headers: string[], data?: string): Promise<{ status: number; body: any }> {
  const args = ['-s', '-X', method, `${url}${path}`, ...headers.flatMap((header) => ['-H', header]), ...(data ? ['-d', data] : []), '-w', '\n%{http_code}']
  const { stdout } = await execFileAsync(curlPath!, args)
  const lines = stdout.split('\n')
  const status = Number(lines.pop())
  const text = lines.join('\n')
  return { status, body: text === '' ? undefined : JSON.parse(text) }
}

describe.skipIf(curlPath === undefined)('the seed document\'s curl sequence against mock --profile machinable', () => {
  it('signs in with HTTP Basic at /sessions/, makes a bearer request, refreshes at /sessions/refresh/, and is refused after 5 minutes until it refreshes', async () => {
    // `echo "alice@example.test:alice-dev-password" | base64`, without the newline the document's echo adds.
    const basic = Buffer.from('alice@example.test:alice-dev-password').toString('base64')
    const session = await curl('POST', '/sessions/', [`authorization: Basic ${basic}`])
    expect(session.status).toBe(200)
    expect(Object.keys(session.body).sort()).toEqual(['access_token', 'message', 'refresh_token', 'session_id'])
    expect(session.body.message).toBe('Successfully logged in')

    const pets = await curl('GET', '/api/pets/', [`Authorization: bearer ${session.body.access_token}`])
    expect(pets.status).toBe(200)
    // Alice's role is user: the objects she created, not Bob's.
    expect(pets.body.items.map((pet: { name: string }) => pet.name).sort()).toEqual(['Rex', 'Tom'])

    const refreshed = await curl('POST', '/sessions/refresh/', [`authorization: Bearer ${session.body.refresh_token}`])
    expect(refreshed).toEqual({ status: 200, body: { access_token: expect.any(String) } })
    expect((await curl('GET', '/api/pets/', [`Authorization: bearer ${refreshed.body.access_token}`])).status).toBe(200)

    // "Access tokens have a limited lifetime of 5 minutes": then 401 (the clock moved by the
    // control extension), and the refresh token, which stays valid, gets a new access token.
    expect((await curl('POST', '/__control/clock', ['content-type: application/json'], '{"advance_seconds":301}')).status).toBe(200)
    expect(await curl('GET', '/api/pets/', [`Authorization: bearer ${refreshed.body.access_token}`])).toEqual({ status: 401, body: { error: expect.any(String) } })
    const again = await curl('POST', '/sessions/refresh/', [`authorization: Bearer ${session.body.refresh_token}`])
    expect(again.status).toBe(200)
    expect((await curl('GET', '/api/pets/', [`Authorization: bearer ${again.body.access_token}`])).status).toBe(200)
    expect((await curl('POST', '/__control/reset', ['content-type: application/json'], '{"scope":"clock"}')).status).toBe(204)
  })
})

describe('verify --profile machinable against mock --profile machinable', () => {
  it('passes every applicable MUST, with the admin key from the set-up endpoint, and says what is not applicable and why', { timeout: 300_000 }, async () => {
    const { stdout } = await execFileAsync(process.execPath, [BIN, 'verify', '--profile', 'machinable', '--target', url, '--report-dir', reports, '--seed', '14'], {
      encoding: 'utf8',
      timeout: 280_000,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string; code?: number }) => {
      throw new Error(`verify exited ${error.code}:\n${error.stdout?.slice(-3000)}\n${error.stderr?.slice(-2000)}`)
    })
    expect(stdout).toMatch(/PASSED/)
    const results = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8'))
    expect(results.run.profile).toEqual({ name: 'machinable', title: 'Machinable' })
    expect(results.counts.failed).toBe(0)
    expect(results.counts.passed).toBeGreaterThan(0)
    const coverage = new Map<string, { status: string; notApplicable?: string[] }>(results.coverage.map((row: { id: string }) => [row.id, row]))
    // Sign-in failures and the credential rules of bearer requests are checked on Machinable's wire.
    // Keys from the set-up endpoint (KEY-001), the access token's 5 minutes (AUTH-004), a
    // refresh token dead with its session (AUTH-012, SESS-005), pages of records (PERM-018).
    for (const id of ['SESS-002', 'ERR-005', 'ERR-007', 'KEY-001', 'AUTH-004', 'AUTH-012', 'SESS-005', 'PERM-018']) expect(coverage.get(id)?.status, id).toBe('passed')
    expect(coverage.get('AUTH-006')).toMatchObject({ status: 'not_applicable', notApplicable: ['AUTH-006 assumes refresh rotate; profile machinable has refresh access_only'] })
    expect(coverage.get('KEY-003')?.notApplicable?.join()).toMatch(/profile machinable lacks deleteKey: API keys are managed in the dashboard/)
    expect(readFileSync(join(reports, 'summary.md'), 'utf8')).toContain('| Not applicable because |')
  })
})
