// HAProxy of a test's own in front of some servers: HTTP mode, round-robin per request,
// health-checked (a server that stops answering is taken out within a second), and
// connection failures sent to another server. Started and stopped by the test.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { killedOnExit, stopChild } from './child-processes.ts'

const START_TIMEOUT_MS = 30_000

export interface Balancer {
  url: string
  stop(): Promise<void>
}

export async function startHaproxy(binary: string, { port, servers, healthPath }: { port: number; servers: string[]; healthPath: string }): Promise<Balancer> {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-haproxy-'))
  const config = join(dir, 'haproxy.cfg')
  writeFileSync(
    config,
    [
      'defaults',
      '  mode http',
      '  timeout connect 1s',
      '  timeout client 60s',
      '  timeout server 60s',
      // Only a request that never reached a server is sent to another one.
      '  retries 3',
      '  option redispatch',
      'frontend mock',
      `  bind 127.0.0.1:${port}`,
      '  default_backend replicas',
      'backend replicas',
      '  balance roundrobin',
      `  option httpchk GET ${healthPath}`,
      '  default-server inter 300ms fall 2 rise 2',
      ...servers.map((server, index) => `  server replica${index + 1} ${new URL(server).host} check`),
      '',
    ].join('\n'),
  )
  const child = killedOnExit(spawn(binary, ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] }))
  let output = ''
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk))
  const deadline = Date.now() + START_TIMEOUT_MS
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`haproxy exited (${child.exitCode}):\n${output}`)
    if (Date.now() > deadline) throw new Error(`haproxy did not listen within ${START_TIMEOUT_MS / 1000} s:\n${output}`)
    await new Promise((resume) => setTimeout(resume, 100))
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await stopChild(child)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
