// A Vitest reporter that names the test files still running long after they should have
// ended, and where each one is. Why: a run that stalls prints nothing more until CI kills
// it (a stop's CI ran out its 90 minutes, 2026-12-07, its output ending on the last file
// that had finished), so the tail of the output must say which file is stuck, in which
// test or hook. The whole `npm test` takes about 13 minutes; no file takes 5.
import type { ReportedHookContext, Reporter, TestCase, TestModule } from 'vitest/node'

/** A file running longer than this is named, once per interval, until it ends. */
export const SLOW_FILE_MS = 5 * 60_000
const CHECK_EVERY_MS = 60_000

interface Running {
  file: string
  since: number
  /** Where the file is: loading, a test's name, or a hook with its test or suite. */
  at: string
}

export interface SlowFilesOptions {
  now?: () => number
  write?: (line: string) => void
  /** Checks every minute while a run is under way; the tests call check() themselves. */
  interval?: boolean
}

export class SlowFilesReporter implements Reporter {
  private readonly running = new Map<string, Running>()
  private readonly now: () => number
  private readonly write: (line: string) => void
  private readonly interval: boolean
  private timer: NodeJS.Timeout | undefined

  constructor({ now = Date.now, write = (line) => process.stderr.write(`${line}\n`), interval = true }: SlowFilesOptions = {}) {
    this.now = now
    this.write = write
    this.interval = interval
  }

  // Per run, so that every run of a watch session is watched, and nothing ticks between runs.
  onTestRunStart(): void {
    if (this.interval) this.timer ??= setInterval(() => this.check(), CHECK_EVERY_MS).unref()
  }

  onTestModuleQueued(module: TestModule): void {
    this.running.set(module.moduleId, { file: module.relativeModuleId, since: this.now(), at: 'loading (collecting its tests)' })
  }

  onTestModuleStart(module: TestModule): void {
    this.place(module, 'before its first test')
  }

  onTestCaseReady(testCase: TestCase): void {
    this.place(testCase.module, `in "${testCase.fullName}"`)
  }

  onHookStart(hook: ReportedHookContext): void {
    const owner = hook.entity.type === 'module' ? 'the file' : `"${hook.entity.fullName}"`
    this.place(hook.entity.type === 'module' ? hook.entity : hook.entity.module, `in ${hook.name} of ${owner}`)
  }

  onTestModuleEnd(module: TestModule): void {
    this.running.delete(module.moduleId)
  }

  onTestRunEnd(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  /** Writes one line per file that has run longer than SLOW_FILE_MS. */
  check(): void {
    const now = this.now()
    for (const { file, since, at } of this.running.values()) {
      const minutes = (now - since) / 60_000
      if (now - since > SLOW_FILE_MS) this.write(`still running after ${minutes.toFixed(1)} min: ${file}, ${at}`)
    }
  }

  private place(module: TestModule, at: string): void {
    const running = this.running.get(module.moduleId)
    if (running) running.at = at
  }
}
