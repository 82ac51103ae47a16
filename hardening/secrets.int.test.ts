// No secret leaks out of a verify run: `authconform verify` runs as a child process against
// a mock (logging everything it logs, at trace level) through a recording proxy that
// remembers every password, API secret, key secret and token that really worked in the
// run. Afterwards every artefact — the mock's log, the control extension's request
// journal, verify's stdout and stderr, every report file — must contain none of them,
// and no full-length token or secret of any kind.
//
// Area auth (key secrets, a password, tokens, the no-store cases) keeps this short;
// AUTHCONFORM_SECRETS_AREAS=discovery,auth,sessions,keys,permissions,errors runs them all.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createMock, type RunningMock } from '../mock/server.ts'
import { freePort } from '../support/free-port.ts'
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const AREAS = process.env.AUTHCONFORM_SECRETS_AREAS ?? 'auth'
/** Full-length forms: a compact JWS, a generated secret, a refresh token. Redacted forms are shorter. */
const FULL_FORMS = [/eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{20,}/, /\bsk_[A-Za-z0-9]{40}\b/, /\brt_[\w-]{43}\b/]

let mock: RunningMock
let mockUrl: string
let proxy: RecordingProxy
let reportDir: string
const logLines: string[] = []
const admin = { key: 'key_secretsHardening0000000', secret: `sk_${'S'.repeat(8)}${Math.random().toString(36).slice(2, 12).padEnd(32, 'q')}` }

beforeAll(async () => {
  reportDir = mkdtempSync(join(tmpdir(), 'authconform-secrets-'))
  const [proxyPort, mockPort] = [await freePort(), await freePort()]
  mockUrl = `http://127.0.0.1:${mockPort}`
  mock = await createMock({
    port: mockPort,
    control: true,
    logLevel: 'trace',
    logDestination: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk))
        done()
      },
    }),
    // The suites reach the mock through the proxy, so the proxy's URL is the issuer.
    publicUrl: `http://127.0.0.1:${proxyPort}`,
    adminKey: admin.key,
    adminSecret: admin.secret,
  })
  // Without Cache-Control the no-store cases fail, and failed cases put their transcripts —
  // token answers, sign-in and exchange bodies — into the reports: the redaction is tested too.
  proxy = await startRecordingProxy(proxyPort, mockUrl, { dropResponseHeaders: ['cache-control'] })
})
afterAll(async () => {
  await proxy?.close()
  await mock?.close()
  if (reportDir) rmSync(reportDir, { recursive: true, force: true })
})

it(`a verify run (areas ${AREAS}) leaves no secret in logs, journal, console or reports`, async () => {
  const run = await runVerify([
    '--target', proxy.url, '--admin-key', admin.key, '--admin-secret', admin.secret,
    '--areas', AREAS, '--report-dir', reportDir, '--seed', '7',
  ])
  expect([0, 1]).toContain(run.code)
  const results = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8'))
  expect(results.cases.filter((testCase: { status: string }) => testCase.status !== 'passed').length).toBeGreaterThan(0)
  const reports = readdirSync(reportDir).map((name) => ({ name, text: readFileSync(join(reportDir, name), 'utf8') }))
  // The failed cases' transcripts are in the reports, with their secrets masked.
  expect(reports.find((report) => report.name === 'results.json')?.text).toContain('[redacted]')
  const journal = await fetch(`${mockUrl}/__control/requests`).then((response) => response.text())

  const artefacts = [
    { name: 'mock log', text: logLines.join('') },
    { name: 'request journal', text: journal },
    { name: 'verify stdout', text: run.stdout },
    { name: 'verify stderr', text: run.stderr },
    ...reports.map((report) => ({ name: `report ${report.name}`, text: report.text })),
  ]
  const secrets = [...proxy.secrets()].filter((secret) => secret.length >= 8)
  console.log(
    `secrets: ${proxy.exchanges()} exchanges proxied, ${secrets.length} distinct secrets collected, ` +
      `${artefacts.length} artefacts (${artefacts.reduce((sum, artefact) => sum + artefact.text.length, 0)} chars) searched`,
  )
  // The search is only as good as what it searches for.
  expect(secrets).toContain(admin.secret)
  expect(secrets.filter((secret) => secret.startsWith('eyJ')).length).toBeGreaterThan(50)
  expect(secrets.filter((secret) => secret.startsWith('rt_')).length).toBeGreaterThan(10)
  expect(secrets.filter((secret) => /^sk_/.test(secret) && secret !== admin.secret).length).toBeGreaterThan(3)
  expect(secrets.some((secret) => !/^(eyJ|rt_|sk_)/.test(secret))).toBe(true) // a password
  expect(logLines.length).toBeGreaterThan(100)
  expect(journal).toContain('/v1/auth/token')

  const leaks: string[] = []
  for (const artefact of artefacts) {
    for (const secret of secrets) {
      if (artefact.text.includes(secret)) leaks.push(`${artefact.name} holds ${secret.slice(0, 6)}… (${secret.length} chars)`)
    }
    for (const form of FULL_FORMS) {
      const match = form.exec(artefact.text)
      if (match) leaks.push(`${artefact.name} holds a full ${form.source}: ${match[0].slice(0, 8)}…`)
    }
  }
  expect(leaks).toEqual([])
}, 600_000)

function runVerify(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/authconform.js', 'verify', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

