// `authconform mock --workers N`: N processes (node:cluster workers of this one) serving one
// port, each a replica of the mock over the shared store — so every core of one machine
// serves. The primary only starts them, prints the banner once all are ready, replaces a
// worker that dies, and stops them all on SIGINT/SIGTERM.
import cluster, { type Worker } from 'node:cluster'
import type { RunningMock } from '../mock/server.ts'

/** What the banner shows of a worker's mock. */
export type Ready = Pick<RunningMock, 'url' | 'docsUrl' | 'adminKey' | 'adminSecret' | 'defects' | 'profile'>

interface ReadyMessage {
  authconform: 'ready'
  mock: Ready
}

function isReady(message: unknown): message is ReadyMessage {
  return typeof message === 'object' && message !== null && (message as ReadyMessage).authconform === 'ready'
}

/** In a worker: tells the primary this replica serves. */
export function reportReady(mock: RunningMock): void {
  const ready: ReadyMessage = {
    authconform: 'ready',
    mock: { url: mock.url, docsUrl: mock.docsUrl, adminKey: mock.adminKey, adminSecret: mock.adminSecret, defects: mock.defects },
  }
  process.send?.(ready)
}

/** In the primary: runs `count` workers (the same command line) until a signal; the exit code. */
export function runWorkers(count: number, banner: (ready: Ready) => string): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false
    let started = 0
    const live = new Set<Worker>()

    const stop = (code: number): void => {
      if (stopping) return
      stopping = true
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      if (live.size === 0) return resolve(code)
      for (const worker of live) {
        worker.once('exit', () => {
          live.delete(worker)
          if (live.size === 0) resolve(code)
        })
        worker.kill('SIGTERM')
      }
    }
    const onSignal = (): void => stop(0)
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)

    const fork = (): void => {
      const worker = cluster.fork()
      live.add(worker)
      let ready = false
      worker.on('message', (message: unknown) => {
        if (!isReady(message) || ready) return
        ready = true
        if (++started === count) process.stdout.write(banner(message.mock))
      })
      worker.once('exit', (code, signal) => {
        live.delete(worker)
        if (stopping) return
        // A worker that never served failed to start (it said why on stderr): give up.
        if (!ready) return stop(code ?? 1)
        process.stderr.write(`authconform mock: worker ${worker.process.pid} ended (${signal ?? `exit ${code}`}); starting another\n`)
        fork()
      })
    }
    for (let index = 0; index < count; index++) fork()
  })
}
