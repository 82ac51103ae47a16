// A target that misbehaves in the middle of a run: the JWKS hangs, one endpoint answers
// off-contract, and every 429 carries `Retry-After: 0`. The run must not hang, the affected
// cases must fail with a clear reason (a timeout; an ERR-017 violation naming the operation
// and the JSON path), a case whose own assertions hold must fail ERR-017 only, the others
// must still pass, and the reports must not leak the credentials involved.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMock } from '../mock/server.ts'
import type { CaseResult, RunResults } from '../reports/results.ts'
import { freePort } from '../support/free-port.ts'

const BIN = fileURLToPath(new URL('../bin/authconform.js', import.meta.url))
const reportDir = mkdtempSync(join(tmpdir(), 'authconform-robust-'))
let proxy: Server
let mock: Awaited<ReturnType<typeof createMock>>
let status: number | null
let output = ''
let results: RunResults
let upstream = ''
/** The run's --timeout-ms (timeoutForThisMachine). */
let timeoutMs: number

async function readBody(incoming: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of incoming) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

beforeAll(async () => {
  proxy = createServer(async (incoming, outgoing) => {
    if (incoming.url === '/.well-known/jwks.json') return // never answers
    const body = await readBody(incoming)
    if (incoming.url === '/v1/permissions/me') {
      outgoing.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ subject: 5 }))
      return
    }
    const headers = { ...incoming.headers }
    delete headers.host
    delete headers.connection
    const answer = await request(`${upstream}${incoming.url}`, { method: incoming.method as 'GET', headers, body: body.length ? body : undefined })
    const responseHeaders = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !['transfer-encoding', 'connection', 'keep-alive'].includes(name)))
    // Off-contract (Retry-After is at least 1) in a way no rate-limit case's own assertion looks at.
    if (answer.statusCode === 429) responseHeaders['retry-after'] = '0'
    outgoing.writeHead(answer.statusCode, responseHeaders as Record<string, string>).end(Buffer.from(await answer.body.arrayBuffer()))
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
  // The mock announces the proxy as its issuer, so discovery's jwks_uri leads through it.
  const port = await freePort()
  mock = await createMock({ port, control: true, logLevel: 'silent', publicUrl: proxyUrl })
  upstream = `http://127.0.0.1:${port}`

  timeoutMs = await timeoutForThisMachine(proxyUrl)
  const run = await verify(['--target', proxyUrl, '--admin-key', mock.adminKey, '--admin-secret', mock.adminSecret, '--areas', 'discovery', '--timeout-ms', String(timeoutMs), '--report-dir', reportDir])
  ;({ status, output } = run)
  results = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8'))
}, 600_000)

/**
 * The run's --timeout-ms: short, so the hanging JWKS costs little, yet far above what a
 * complete exchange takes on this machine now — on a loaded machine a token exchange
 * through the proxy may take over a second, and a case whose own answer merely came late
 * would fail for the wrong reason. Ten times the slowest of a burst of token exchanges
 * (three in flight, as the rate-limit cases send them), at least 1500 ms; the burst's
 * windows are closed again before the run.
 */
async function timeoutForThisMachine(proxyUrl: string): Promise<number> {
  let slowest = 0
  const exchange = async () => {
    const started = performance.now()
    const answer = await request(`${proxyUrl}/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: mock.adminKey, api_secret: mock.adminSecret }),
    })
    await answer.body.dump()
    expect(answer.statusCode, 'a calibrating token exchange').toBe(200)
    slowest = Math.max(slowest, performance.now() - started)
  }
  for (let round = 0; round < 4; round += 1) await Promise.all([exchange(), exchange(), exchange()])
  const reset = await request(`${upstream}/__control/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'rate_limits' }) })
  await reset.body.dump()
  expect(reset.statusCode, 'the calibration\'s rate-limit windows closed').toBe(204)
  return Math.max(1500, Math.ceil((10 * slowest) / 100) * 100)
}

async function verify(args: string[]): Promise<{ status: number | null; output: string }> {
  const child = spawn(process.execPath, [BIN, 'verify', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let text = ''
  child.stdout.on('data', (chunk) => (text += chunk))
  child.stderr.on('data', (chunk) => (text += chunk))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { status: code, output: text }
}

afterAll(async () => {
  proxy?.closeAllConnections()
  proxy?.close()
  await mock?.close()
})

const byName = (fragment: string): CaseResult => {
  const found = results.cases.find((result) => result.name.includes(fragment))
  if (!found) throw new Error(`no case named …${fragment}…`)
  return found
}

describe('verify against a target that hangs and breaks the contract mid-run', () => {
  it('ends with exit 1, not a hang', () => {
    expect(status, output.slice(-3000)).toBe(1)
  })

  it('fails the cases that need the hanging JWKS with a timeout reason', () => {
    const jwks = byName('the JWKS publishes public keys only')
    expect(jwks.status).toBe('failed')
    expect(jwks.message).toMatch(new RegExp(`GET /.well-known/jwks.json: no complete response within ${timeoutMs} ms`))
  })

  it('fails the off-contract answer as ERR-017 naming the operation and the JSON path', () => {
    const apiKey = byName('apikey_scheme')
    expect(apiKey.status).toBe('failed')
    expect(apiKey.requirements).toContain('ERR-017')
    expect(apiKey.message).toMatch(/ERR-017 contract violation in getMyPermissions/)
    expect(apiKey.message).toMatch(/body\/subject must be object/)
  })

  it('credits a violation to ERR-017 alone when the case’s own assertions hold, with the offending response', () => {
    // The token limits are spent quickly whatever the machine's load; each ends in a 429.
    for (const name of ['token per credential', 'token per address']) {
      const result = byName(`DISC-005 ${name}`)
      expect(result, `DISC-005 ${name}: ${result.message}`).toMatchObject({ status: 'failed', failedRequirements: ['ERR-017'] })
      expect(result.requirements).toEqual(['DISC-005', 'ERR-017'])
      expect(result.message).toMatch(/^ERR-017 contract violation in exchangeToken:\n {2}POST \/v1\/auth\/token → 429: header Retry-After: '0' must be >= 1/)
      expect(result.transcript?.map((entry) => [entry.status, entry.responseHeaders?.['retry-after']])).toEqual([[429, '0']])
    }
  })

  it('keeps a transcript of the failure with the credentials redacted', () => {
    const transcript = byName('apikey_scheme').transcript ?? []
    const call = transcript.find((entry) => entry.url.endsWith('/v1/permissions/me'))
    expect(call?.requestHeaders.authorization).toBe('ApiKey [redacted]')
    expect(readFileSync(join(reportDir, 'results.json'), 'utf8')).not.toContain(mock.adminSecret)
  })

  it('still passes the cases the faults do not touch', () => {
    expect(byName('GET /.well-known/auth-configuration answers 200').status).toBe('passed')
    expect(byName('DISC-003 an API key token has iss').status).toBe('passed')
  })
})

describe('verify with an overall budget shorter than the run', () => {
  it('stops, reports the cases that did not run as not verified and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-budget-'))
    const run = await verify(['--areas', 'discovery', '--budget', '2', '--report-dir', dir])
    expect(run.status, run.output.slice(-2000)).toBe(1)
    expect(run.output).toContain('the run budget (--budget) ran out')
    const budgeted = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResults
    expect(budgeted.run.budgetExhausted).toBe(true)
    expect(budgeted.counts.not_verified).toBeGreaterThan(0)
  }, 300_000)
})
