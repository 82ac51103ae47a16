// Child processes that tests and benchmarks start (Prism, load targets): each is stopped by
// its owner, and whatever is still running when this process exits is killed with it, so
// no run leaves a server behind.
import type { ChildProcess } from 'node:child_process'

/** How long a child may take to exit after SIGTERM before it gets SIGKILL. */
const STOP_TIMEOUT_MS = 10_000

const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/** Kills `child` if this process exits while it still runs; returns it. */
export function killedOnExit(child: ChildProcess): ChildProcess {
  running.add(child)
  child.once('exit', () => running.delete(child))
  return child
}

/** SIGTERM, then SIGKILL if the child has not exited within 10 s; resolves once it has. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
