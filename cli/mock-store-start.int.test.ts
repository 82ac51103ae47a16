// `authconform mock --store …` that cannot start: one readable line per process on stderr
// and exit code 1 — never a stack trace, and never a --workers primary that waits for ever
// on a worker that failed (it did: the worker's channel kept it alive after its error).
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { killedOnExit, stopChild } from '../support/child-processes.ts'
import { freePort } from '../support/free-port.ts'
import { startRedis, type RedisServer } from '../support/redis-server.ts'
import { componentOrSkip, REDIS_SERVER } from '../support/system-components.ts'

const BIN = fileURLToPath(new URL('../bin/authconform.js', import.meta.url))
// Both starts announce one issuer, so that the access TTL is the one option that differs.
const PUBLIC_URL = 'http://mock.test'
const redisBinary = await componentOrSkip(REDIS_SERVER, 'authconform mock --store that cannot start')

interface Exit {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the mock to its end; a process still running after `limitMs` is killed (and fails the case). */
function mockUntilExit(args: string[], limitMs = 40_000): Promise<Exit> {
  const child = killedOnExit(spawn(process.execPath, [BIN, 'mock', '--port', '0', '--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }))
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk) => (stdout += chunk))
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs)
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    }),
  )
}

/** Exit 1, nothing on stdout, and stderr only lines that match `line` (one per process that said why). */
function expectOneLineFailure(exit: Exit, line: RegExp): void {
  expect(exit.code, exit.stderr).toBe(1)
  expect(exit.stdout).toBe('')
  const lines = exit.stderr.trim().split('\n')
  expect(lines.length).toBeGreaterThanOrEqual(1)
  for (const said of lines) expect(said).toMatch(line)
}

describe.skipIf(redisBinary === undefined).concurrent('authconform mock --store that cannot start', { timeout: 60_000 }, () => {
  let closedPort: number
  let guarded: RedisServer
  let seeded: RedisServer

  beforeAll(async () => {
    closedPort = await freePort()
    guarded = await startRedis(redisBinary!)
    const admin = createClient({ url: guarded.url })
    await admin.connect()
    await admin.sendCommand(['CONFIG', 'SET', 'requirepass', 'not-given'])
    await admin.close()
    // A store seeded by a mock with other options than the ones the cases start with.
    seeded = await startRedis(redisBinary!)
    const first = killedOnExit(spawn(process.execPath, [BIN, 'mock', '--port', '0', '--quiet', '--store', seeded.url, '--public-url', PUBLIC_URL, '--access-ttl', '60'], { stdio: ['ignore', 'pipe', 'inherit'] }))
    await new Promise<void>((resolve, reject) => {
      let output = ''
      first.stdout!.on('data', (chunk) => {
        output += chunk
        if (output.includes('listening on')) resolve()
      })
      first.once('exit', (code) => reject(new Error(`the seeding mock exited (${code}) before it served`)))
    })
    await stopChild(first)
  }, 60_000)

  afterAll(async () => {
    await guarded?.remove()
    await seeded?.remove()
  })

  it.each([[[]], [['--workers', '2']]])('with nothing listening at the store, %j exits 1 naming the store and the refusal', async (extra) => {
    const exit = await mockUntilExit(['--store', `redis://127.0.0.1:${closedPort}/0`, ...extra])
    expectOneLineFailure(exit, new RegExp(`^authconform mock: cannot reach redis://127\\.0\\.0\\.1:${closedPort}/0 within 10 s: connect ECONNREFUSED`))
  })

  it('with a store that wants a password, exits 1 with what Redis answered', async () => {
    const exit = await mockUntilExit(['--store', guarded.url, '--workers', '2'])
    expectOneLineFailure(exit, /^authconform mock: cannot reach redis:\/\/127\.0\.0\.1:\d+\/0 within 10 s: NOAUTH /)
  })

  it('with a store seeded by a mock with other options, --workers 2 exits 1 naming what differs', async () => {
    const exit = await mockUntilExit(['--store', seeded.url, '--public-url', PUBLIC_URL, '--workers', '2'])
    expectOneLineFailure(exit, /^authconform mock: the store at redis:\/\/127\.0\.0\.1:\d+\/0 belongs to a mock started with other options: accessTokenTtl differ;/)
  })
})
