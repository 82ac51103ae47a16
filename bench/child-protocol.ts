// The little IPC protocol between the bench process and a load target it started: the
// target announces itself once listening, answers memory probes, and shuts down cleanly on
// SIGTERM or when the bench process goes away (so no target outlives a crashed run, and
// --cpu-prof gets to write its profile).

export interface ReadyMessage {
  type: 'ready'
  url: string
  adminKey?: string
  adminSecret?: string
}

export interface MemorySample {
  rssBytes: number
  heapUsedBytes: number
  externalBytes: number
}

export interface MemoryMessage extends MemorySample {
  type: 'memory'
}

declare const gc: (() => void) | undefined

export function serveChildProtocol(ready: Omit<ReadyMessage, 'type'>, close: () => Promise<void>): void {
  const send = (message: ReadyMessage | MemoryMessage): void => {
    process.send?.(message)
  }
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'memory') return
    // Two passes: the first may only finalize objects that the second then frees.
    if (typeof gc === 'function') {
      gc()
      gc()
    }
    const usage = process.memoryUsage()
    send({ type: 'memory', rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, externalBytes: usage.external })
  })
  let closing = false
  const shutDown = (): void => {
    if (closing) return
    closing = true
    close().finally(() => process.exit(0))
  }
  process.on('SIGTERM', shutDown)
  process.on('disconnect', shutDown)
  send({ type: 'ready', ...ready })
}
