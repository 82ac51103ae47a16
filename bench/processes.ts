// Load targets, each in its own child process so that the target and autocannon (in the
// bench process) share the machine's cores the way a real client and server would. Every
// target started here is stopped by its own handle, and killed if the bench process exits.
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { MockOptions } from '../mock/server.ts'
import { killedOnExit, stopChild } from '../support/child-processes.ts'
import { freePort } from '../support/free-port.ts'
import type { MemoryMessage, MemorySample, ReadyMessage } from './child-protocol.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const START_TIMEOUT_MS = 180_000

export interface Target {
  label: string
  url: string
  pid: number
  /** Memory of the target process (heap figures only from IPC targets). */
  memory(): Promise<MemorySample>
  /** CPU time the target process has used so far (user + system, all threads), in seconds. */
  cpuSeconds(): number
  stop(): Promise<void>
}

export interface MockTarget extends Target {
  adminKey: string
  adminSecret: string
}

export interface SpawnOptions {
  /** Write a V8 CPU profile of the target to this directory (node --cpu-prof). */
  profileDir?: string | undefined
  /** Make a full GC before each memory probe (node --expose-gc). */
  exposeGc?: boolean
}

/** The mock via createMock in bench/mock-target.ts. */
export async function startMock(label: string, options: MockOptions, spawnOptions: SpawnOptions = {}): Promise<MockTarget> {
  const child = spawnTs(label, 'bench/mock-target.ts', { AUTHCONFORM_BENCH_MOCK: JSON.stringify(options) }, spawnOptions)
  const ready = await readyOf(label, child)
  return { ...ipcTarget(label, child, ready.url), adminKey: ready.adminKey!, adminSecret: ready.adminSecret! }
}

/**
 * The bare node:http ceiling: `bodies` maps a request URL (path and query) to the body it
 * answers; a single string answers every URL. (A file, not the environment: one variable
 * holds at most 128 KiB, and a page of 1,000 records is more.) With `server: 'fastify'`,
 * the same bodies from a Fastify app with one route (bench/framework-server.ts).
 */
export async function startBareServer(
  label: string,
  bodies: string | Record<string, string>,
  spawnOptions: SpawnOptions = {},
  server: 'node:http' | 'fastify' = 'node:http',
): Promise<Target> {
  const directory = mkdtempSync(join(tmpdir(), 'authconform-bare-'))
  const file = join(directory, 'bodies.json')
  writeFileSync(file, JSON.stringify(typeof bodies === 'string' ? { '*': bodies } : bodies))
  try {
    const entry = server === 'fastify' ? 'bench/framework-server.ts' : 'bench/bare-server.ts'
    const child = spawnTs(label, entry, { AUTHCONFORM_BENCH_BODIES: file }, spawnOptions)
    return ipcTarget(label, child, (await readyOf(label, child)).url)
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
}

export interface CliMockOptions {
  /** The tree whose CLI runs (this one, or a baseline's). */
  root: string
  fixtures: string
  /** `--quiet` (warnings only); otherwise the CLI's default, a log line per request. */
  quiet: boolean
  /** Where the mock's standard output (its banner and log lines) goes. */
  logFile: string
  /** More flags (`--store`, `--workers`, rate limits). */
  args?: string[]
}

/**
 * The mock as users start it: `authconform mock` through its CLI, with its defaults (log
 * level info: one JSON line per request on standard output, as in a container) or
 * `--quiet`. Only the `data` limit is raised — at the default 3,000 per minute a load run
 * would measure 429s — and it is still counted on every request.
 */
export async function startCliMock(label: string, options: CliMockOptions, spawnOptions: SpawnOptions = {}): Promise<Target> {
  const port = await freePort()
  const args = ['mock', '--port', String(port), '--fixtures', options.fixtures, '--rate-limit', 'data=1000000000/60', ...(options.quiet ? ['--quiet'] : []), ...(options.args ?? [])]
  const nodeArgs = spawnOptions.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(spawnOptions.profileDir, label)}`]
  const output = openSync(options.logFile, 'w')
  let child: ChildProcess
  try {
    child = spawn(process.execPath, [...nodeArgs, join(options.root, 'bin', 'authconform.js'), ...args], {
      cwd: options.root,
      stdio: ['ignore', output, 'inherit'],
    })
  } finally {
    closeSync(output)
  }
  killedOnExit(child)
  const url = `http://127.0.0.1:${port}`
  await waitUntilAnswering(label, child, `${url}/.well-known/auth-configuration`)
  // With --workers the first worker answers before the others are up: the banner waits for all.
  await waitForBanner(label, child, options.logFile)
  return { label, url, pid: child.pid!, memory: async () => procMemory(child.pid!), cpuSeconds: () => treeCpuSeconds(child.pid!), stop: () => stopChild(child) }
}

async function waitForBanner(label: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = performance.now() + START_TIMEOUT_MS
  while (!readFileSync(logFile, 'utf8').includes('Stop with Ctrl+C.')) {
    if (child.exitCode !== null) throw new Error(`${label}: exited with code ${child.exitCode} before it was ready`)
    if (performance.now() > deadline) throw new Error(`${label}: no banner after ${START_TIMEOUT_MS / 1000} s`)
    await new Promise((resume) => setTimeout(resume, 100))
  }
}

/** CPU seconds of a process and its children now running (the workers of `mock --workers`). */
export function treeCpuSeconds(pid: number): number {
  let children: number[] = []
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    // No /proc: procCpuSeconds answers NaN for the process itself.
  }
  return children.reduce((sum, child) => sum + procCpuSeconds(child), procCpuSeconds(pid))
}


/** Prism mocking the contract bundle (static examples, logging off so it is not slowed by it). */
export async function startPrism(label: string): Promise<Target> {
  const port = await freePort()
  const cli = fileURLToPath(new URL('../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url))
  const child = spawn(process.execPath, [cli, 'mock', '-h', '127.0.0.1', '-p', String(port), '-v', 'silent', 'openapi/generated/bundle.yaml'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  killedOnExit(child)
  const url = `http://127.0.0.1:${port}`
  await waitUntilAnswering(label, child, `${url}/.well-known/auth-configuration`)
  return { label, url, pid: child.pid!, memory: async () => procMemory(child.pid!), cpuSeconds: () => procCpuSeconds(child.pid!), stop: () => stopChild(child) }
}

function spawnTs(label: string, entry: string, env: Record<string, string>, { profileDir, exposeGc }: SpawnOptions): ChildProcess {
  const nodeArgs = ['--import', 'tsx']
  if (exposeGc) nodeArgs.push('--expose-gc')
  // One directory per target: the tsx loader thread writes a profile of its own beside the main thread's.
  if (profileDir !== undefined) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${join(profileDir, label)}`)
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  killedOnExit(child)
  return child
}

function readyOf(label: string, child: ChildProcess): Promise<ReadyMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${label}: not ready after ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS)
    const onMessage = (message: { type?: string }): void => {
      if (message.type !== 'ready') return
      cleanUp()
      resolve(message as ReadyMessage)
    }
    const onExit = (code: number | null): void => fail(new Error(`${label}: exited with code ${code} before it was ready`))
    const cleanUp = (): void => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    const fail = (error: Error): void => {
      cleanUp()
      child.kill('SIGKILL')
      reject(error)
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

function ipcTarget(label: string, child: ChildProcess, url: string): Target {
  return {
    label,
    url,
    pid: child.pid!,
    memory: () =>
      new Promise((resolve) => {
        const onMessage = (message: MemoryMessage): void => {
          if (message.type !== 'memory') return
          child.off('message', onMessage)
          resolve({ rssBytes: message.rssBytes, heapUsedBytes: message.heapUsedBytes, externalBytes: message.externalBytes })
        }
        child.on('message', onMessage)
        child.send({ type: 'memory' })
      }),
    cpuSeconds: () => procCpuSeconds(child.pid!),
    stop: () => stopChild(child),
  }
}

/** RSS of a process we cannot ask (Prism), from /proc. */
function procMemory(pid: number): MemorySample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN)
  return { rssBytes: kib * 1024, heapUsedBytes: Number.NaN, externalBytes: Number.NaN }
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const USER_HZ = 100

/**
 * CPU seconds from /proc/<pid>/stat: `own` is utime + stime, the process's own use, which,
 * unlike its requests/s, other processes on a shared machine barely change; `reapedChildren`
 * is cutime + cstime, what its children that have ended used. NaN where there is no /proc.
 */
export function procCpuSeconds(pid: number | 'self', of: 'own' | 'reapedChildren' = 'own'): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the parenthesised command name: utime, stime, cutime, cstime are fields 14–17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const first = of === 'own' ? 11 : 13
    return (Number(fields[first]) + Number(fields[first + 1])) / USER_HZ
  } catch {
    return Number.NaN
  }
}

async function waitUntilAnswering(label: string, child: ChildProcess, url: string): Promise<void> {
  const deadline = performance.now() + START_TIMEOUT_MS
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label}: exited with code ${child.exitCode} before it answered`)
    try {
      await fetch(url)
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  child.kill('SIGKILL')
  throw new Error(`${label}: no answer from ${url} after ${START_TIMEOUT_MS / 1000} s`)
}
