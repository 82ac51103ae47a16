// `authconform mock --workers 2 --store redis://…`: two processes serve one port as one mock
// (every core of the machine serves), a worker that dies is replaced, and SIGTERM stops
// them all. (--workers without a store is a usage error: mock-command.test.ts.)
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { procCpuSeconds } from '../bench/processes.ts'
import { killedOnExit } from '../support/child-processes.ts'
import { startRedis, type RedisServer } from '../support/redis-server.ts'
import { componentOrSkip, REDIS_SERVER } from '../support/system-components.ts'

const BIN = fileURLToPath(new URL('../bin/authconform.js', import.meta.url))
const redisBinary = await componentOrSkip(REDIS_SERVER, 'authconform mock --workers')

function workersOf(pid: number): number[] {
  const listed = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()
  return listed === '' ? [] : listed.split(/\s+/).map(Number)
}

/** Polls `probe`; a failure says what the primary printed, and comes at once if it exited. */
async function until<T>(what: string, probe: () => T | undefined, primary: ChildProcess, output: () => string, timeoutMs = 240_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = probe()
    if (found !== undefined) return found
    const ended = primary.exitCode ?? primary.signalCode
    if (ended !== null) throw new Error(`${what}: the primary exited (${ended}) first; it printed:\n${output()}`)
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s; the primary printed:\n${output()}`)
    await new Promise((resume) => setTimeout(resume, 100))
  }
}

describe.skipIf(redisBinary === undefined)('authconform mock --workers 2 over a shared store', () => {
  let redis: RedisServer
  let primary: ChildProcess
  let output = ''
  let url: string

  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const response = await request(`${url}${path}`, {
      method: method as 'GET',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.statusCode, body: await response.body.json() }
  }

  beforeAll(async () => {
    redis = await startRedis(redisBinary!)
    primary = killedOnExit(spawn(process.execPath, [BIN, 'mock', '--store', redis.url, '--workers', '2', '--port', '0', '--control', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] }))
    primary.stdout!.on('data', (chunk) => (output += chunk))
    primary.stderr!.on('data', (chunk) => (output += chunk))
    url = await until('the banner', () => /listening on (http:\/\/\S+)/.exec(output)?.[1], primary, () => output)
  }, 300_000)

  afterAll(async () => {
    if (primary?.exitCode === null) primary.kill('SIGKILL')
    await redis?.remove()
  })

  it('serves one port from two processes that are one mock', async () => {
    expect(output).toMatch(/workers: +2 processes on one port/)
    const workers = workersOf(primary.pid!)
    expect(workers).toHaveLength(2)
    expect((await call('POST', '/__control/clock', { advance_seconds: 60 })).status).toBe(200)
    const cpuBefore = workers.map((pid) => procCpuSeconds(pid))
    for (let round = 0; round < 20; round++) {
      const clocks = await Promise.all(Array.from({ length: 10 }, () => call('GET', '/__control/clock')))
      for (const clock of clocks) expect(clock.body.offset_seconds).toBe(60)
    }
    // Both processes answered part of the 200 requests.
    workers.forEach((pid, index) => expect(procCpuSeconds(pid) - cpuBefore[index]!).toBeGreaterThan(0))
  }, 60_000)

  it('replaces a worker that dies, and keeps serving', async () => {
    const [victim, survivor] = workersOf(primary.pid!) as [number, number]
    process.kill(victim, 'SIGKILL')
    const replaced = await until('a new worker', () => {
      const now = workersOf(primary.pid!)
      return now.length === 2 && !now.includes(victim) ? now : undefined
    }, primary, () => output)
    expect(replaced).toContain(survivor)
    await until('the message', () => (output.includes(`worker ${victim} ended (SIGKILL); starting another`) ? true : undefined), primary, () => output, 10_000)
    for (let round = 0; round < 10; round++) expect((await call('GET', '/__control/clock')).body.offset_seconds).toBe(60)
  }, 300_000)

  it('stops every worker on SIGTERM and exits 0', async () => {
    const workers = workersOf(primary.pid!)
    const exited = new Promise<number | null>((resolve) => primary.once('exit', resolve))
    primary.kill('SIGTERM')
    expect(await exited).toBe(0)
    for (const pid of workers) expect(existsSync(`/proc/${pid}`)).toBe(false)
  }, 60_000)
})
