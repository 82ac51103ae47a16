// Usage and configuration errors of `authconform verify`: exit code 2 and one readable
// line on stderr, decided before any case runs.
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMock } from '../mock/server.ts'

const BIN = fileURLToPath(new URL('../bin/authconform.js', import.meta.url))

interface Outcome {
  status: number | null
  stdout: string
  stderr: string
}

/** Spawned asynchronously: the servers these tests start live in this process. */
function verify(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<Outcome> {
  const child = spawn(process.execPath, [BIN, 'verify', ...args], {
    cwd: options.cwd ?? mkdtempSync(join(tmpdir(), 'authconform-cwd-')),
    env: { ...process.env, ...options.env },
    timeout: 60_000,
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })))
}

function expectUsageError(result: Outcome, message: RegExp | string) {
  expect(result.status, result.stderr).toBe(2)
  const lines = result.stderr.trim().split('\n')
  expect(lines, 'exactly one line on stderr').toHaveLength(1)
  expect(lines[0]).toMatch(/^authconform verify: /)
  expect(lines[0]).toMatch(message)
}

const listen = (server: Server | TcpServer) =>
  new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)))

let mock: Awaited<ReturnType<typeof createMock>>
let garbage: Server
let garbageUrl: string
let silent: TcpServer
let silentUrl: string

beforeAll(async () => {
  mock = await createMock({ port: 0, logLevel: 'silent' })
  garbage = createServer((_, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'))
  garbageUrl = await listen(garbage)
  // Accepts connections and never answers: a hung target.
  silent = createTcpServer(() => {})
  silentUrl = await listen(silent)
})

afterAll(async () => {
  await mock?.close()
  garbage?.close()
  silent?.close()
})

const creds = () => ['--admin-key', mock.adminKey, '--admin-secret', mock.adminSecret]

describe('authconform verify usage errors', () => {
  it.each([
    [['--time', 'bogus'], "--time must be one of control, wait, skip, not 'bogus'"],
    [['--nope'], 'unknown option --nope'],
    [['--max-wait', 'soon'], '--max-wait must be a whole number'],
    [['--areas', 'auth,bogus'], '--areas takes a comma-separated subset'],
    [['--target', 'http://127.0.0.1:9'], '--target needs --admin-key and --admin-secret'],
    [['--expected-failures', '/nonexistent/list.yaml'], 'cannot read /nonexistent/list.yaml'],
  ])('%j', async (args, message) => {
    expectUsageError(await verify(args), message)
  })

  it('reads the environment (AUTHCONFORM_TIME)', async () => {
    expectUsageError(await verify([], { env: { AUTHCONFORM_TIME: 'bogus' } }), "--time must be one of control, wait, skip, not 'bogus'")
  })

  it('reads authconform.config.yaml in the working directory', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'authconform-cwd-'))
    writeFileSync(join(cwd, 'authconform.config.yaml'), 'time: later\n')
    expectUsageError(await verify([], { cwd }), "not 'later'")
  })

  it('lets a flag win over the environment', async () => {
    const result = await verify(['--time', 'skip', '--target', 'http://127.0.0.1:9', ...creds()], { env: { AUTHCONFORM_TIME: 'bogus' } })
    expectUsageError(result, 'cannot reach the target at http://127.0.0.1:9')
  })

  it('prints its help with exit 0', async () => {
    const result = await verify(['--help'])
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('--expected-failures')
  })
})

describe('authconform verify configuration errors, checked up front', () => {
  it('an unreachable target', async () => {
    expectUsageError(await verify(['--target', 'http://127.0.0.1:9', ...creds()]), /cannot reach the target .*connection refused/)
  })

  it('a target that never answers', async () => {
    const started = Date.now()
    expectUsageError(await verify(['--target', silentUrl, '--timeout-ms', '300', ...creds()]), /no answer within 300 ms/)
    expect(Date.now() - started).toBeLessThan(20_000)
  })

  it('a target that answers garbage', async () => {
    expectUsageError(await verify(['--target', garbageUrl, ...creds()]), 'does not serve a discovery document')
  })

  it('wrong admin credentials', async () => {
    const result = await verify(['--target', mock.url, '--admin-key', mock.adminKey, '--admin-secret', 'sk_wrongwrongwrongwrongwrongwrongwrongwrong'])
    expectUsageError(result, 'the admin credentials were rejected: POST /v1/auth/token answered 401 invalid_credentials')
    expect(result.stderr).not.toContain('sk_wrong')
  })

  it('a report directory it cannot write, before anything runs', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'authconform-reports-')), 'a-file')
    writeFileSync(file, '')
    const result = await verify(['--target', mock.url, ...creds(), '--report-dir', join(file, 'reports')])
    expectUsageError(result, new RegExp(`cannot write the reports to ${file}/reports \\(ENOTDIR, running as uid \\d+\\)`))
    expect(result.stdout).toBe('')
  })

  it('--time control against a target without the control extension', async () => {
    expectUsageError(await verify(['--target', mock.url, '--time', 'control', ...creds()]), 'does not list test_control')
  })
})
