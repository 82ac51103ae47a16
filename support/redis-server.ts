// A Redis server of a test's own: its own port and directory, started and stopped by the
// test (never a shared one), optionally durable (append-only file, fsync on every write) so
// that a test can stop and start it again and find everything acknowledged before.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { killedOnExit, stopChild } from './child-processes.ts'
import { freePort } from './free-port.ts'

const START_TIMEOUT_MS = 30_000

export interface RedisServer {
  /** redis://127.0.0.1:PORT/0 */
  url: string
  port: number
  /** The running server's process id. */
  readonly pid: number
  /** SIGTERM: Redis shuts down cleanly (a durable one has written its append-only file). */
  stop(): Promise<void>
  /** Starts it again on the same port and directory. */
  start(): Promise<void>
  /** SIGSTOP / SIGCONT: a Redis that holds its connections but answers nothing. */
  freeze(): void
  thaw(): void
  /** Stops it and removes its directory. */
  remove(): Promise<void>
}

export async function startRedis(binary: string, { durable = false }: { durable?: boolean } = {}): Promise<RedisServer> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'authconform-redis-'))
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    ...(durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
  ]
  let child: ChildProcess | undefined
  const start = async (): Promise<void> => {
    const started = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    child = killedOnExit(started)
    await new Promise<void>((resolve, reject) => {
      let output = ''
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`)), START_TIMEOUT_MS)
      started.stdout!.on('data', (chunk: Buffer) => {
        output += chunk
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer)
          resolve()
        }
      })
      started.stderr!.on('data', (chunk: Buffer) => (output += chunk))
      started.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`))
      })
    })
    started.stdout!.resume()
  }
  await start()
  const stop = async (): Promise<void> => {
    if (child) await stopChild(child)
  }
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    get pid() {
      return child!.pid!
    },
    stop,
    start,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    async remove() {
      child?.kill('SIGCONT')
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
