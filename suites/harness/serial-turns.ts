// Serial files — clock suites (a clock advance expires every other file's tokens) and
// rate-limit suites (exhausting a limit starves whoever shares it) — run alone, after every
// other file of the run, one at a time. They share the workers of the ordinary files (a
// worker of their own would import the harness again, ~1 s on the run's critical path), so
// the order is kept here: the suites config queues them last, each waits at its start for
// its turn, and the runner (main thread) hands out turns as vitest reports files ending.
// Worker threads and the main thread talk over a BroadcastChannel named per run.
import { BroadcastChannel } from 'node:worker_threads'

export const SERIAL_FILE = /\.(clock|ratelimit)\.suite\.ts$/

type TurnMessage = { type: 'waiting'; file: string } | { type: 'turn'; file: string }

/** In a worker: resolves when `file` may run, rejects with the signal's reason when it aborts first. */
export function awaitTurn(channelName: string, file: string, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason)
  const channel = new BroadcastChannel(channelName)
  return new Promise<void>((resolve, reject) => {
    const finish = (error?: unknown) => {
      signal.removeEventListener('abort', onAbort)
      channel.close()
      if (error === undefined) resolve()
      else reject(error)
    }
    const onAbort = () => finish(signal.reason)
    channel.onmessage = (event) => {
      const message = (event as { data: TurnMessage }).data
      if (message.type === 'turn' && message.file === file) finish()
    }
    signal.addEventListener('abort', onAbort, { once: true })
    channel.postMessage({ type: 'waiting', file } satisfies TurnMessage)
  })
}

/**
 * In the runner: grants turns. `start` with the run's files; `ended` for every file vitest
 * reports finished (whether it passed, failed or never loaded).
 */
export function serialTurns(channelName: string) {
  const channel = new BroadcastChannel(channelName)
  const waiting: string[] = []
  let ordinaryLeft = 0
  let running: string | undefined

  const grant = () => {
    if (ordinaryLeft > 0 || running !== undefined || waiting.length === 0) return
    running = waiting.shift()!
    channel.postMessage({ type: 'turn', file: running } satisfies TurnMessage)
  }
  channel.onmessage = (event) => {
    const message = (event as { data: TurnMessage }).data
    if (message.type !== 'waiting') return
    waiting.push(message.file)
    grant()
  }
  return {
    start(files: readonly string[]): void {
      ordinaryLeft = files.filter((file) => !SERIAL_FILE.test(file)).length
      grant()
    },
    ended(file: string): void {
      if (SERIAL_FILE.test(file)) {
        if (running === file) running = undefined
      } else {
        ordinaryLeft -= 1
      }
      grant()
    },
    close: () => channel.close(),
  }
}
