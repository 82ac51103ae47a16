// Runs the conformance suites in-process with vitest's Node API against one target: the
// target configuration goes to every worker through provide/inject, a collecting
// reporter turns vitest's report tree into CaseOutcomes (outcomes.ts), and the run's deadline (--budget)
// ends the run instead of letting a bad target hang it: the workers abort their own
// requests at the deadline (budget.ts), this side cancels the vitest run, and stops the
// workers outright if they have not finished shortly after.
import { fileURLToPath } from 'node:url'
import type { Reporter, TestModule, Vitest } from 'vitest/node'
import type { CaseOutcome } from '../../reports/results.ts'
import { suiteTopic } from './case-ids.ts'
import { FILE_PSEUDO_CASES, fileOutcomes, moduleOutcomes, notStartedFiles, outcomeOf, ROOT } from './outcomes.ts'
import { requirementSelection } from './requirement-selection.ts'
import { serialTurns } from './serial-turns.ts'
import { CLEANUP_GRACE_MS, MAX_TIMER_MS, PROVIDE_KEY, type TargetConfig } from './target-config.ts'

const SUITES_CONFIG = fileURLToPath(new URL('../vitest.config.ts', import.meta.url))
/** After the deadline and the clean-up grace: how long the workers get to end their files before they are stopped. */
const STOP_SLACK_MS = 500
/** How long stopping the workers and closing vitest may take before the run is reported without them. */
const CLOSE_LIMIT_MS = 1000

export interface SuiteRun {
  outcomes: CaseOutcome[]
  unhandledErrors: string[]
  budgetExhausted: boolean
  /** Test data a file could not remove, as 'topic: problem'. */
  cleanupProblems: string[]
}

export interface RunSuitesOptions {
  areas: readonly string[]
  /** Only the cases whose names carry one of these requirement IDs. */
  requirements?: readonly string[]
  onCase?: (outcome: CaseOutcome) => void
  onLog?: (line: string) => void
}

export async function runSuites(config: TargetConfig, options: RunSuitesOptions): Promise<SuiteRun> {
  let modules: readonly TestModule[] = []
  const unhandledErrors: string[] = []
  let budgetExhausted = false
  const selection = options.requirements && requirementSelection(options.requirements)
  // Cases outside a requirement selection are not part of the run at all (not "skipped");
  // what a file that ran reports outside its cases always is.
  const selected = (outcome: CaseOutcome) => !selection || FILE_PSEUDO_CASES.has(outcome.name) || selection.pattern.test(outcome.fullName)
  // A cancelled run reports some cases again; the progress shows each once.
  const reported = new Set<string>()
  const channelName = `authconform-serial-turns-${config.runId}`
  const collector: Reporter = {
    onTestRunStart(specifications) {
      turns.start(specifications.map((specification) => specification.moduleId))
    },
    onTestModuleEnd(testModule) {
      turns.ended(testModule.moduleId)
      // What the file reports outside its cases: shown with the file, not only at the end.
      for (const outcome of fileOutcomes(testModule, budgetExhausted)) if (selected(outcome)) options.onCase?.(outcome)
    },
    onTestCaseResult(testCase) {
      const outcome = outcomeOf(testCase, budgetExhausted)
      if (selected(outcome) && !reported.has(testCase.id)) options.onCase?.(outcome)
      reported.add(testCase.id)
    },
    onUserConsoleLog(log) {
      options.onLog?.(log.content.trimEnd())
    },
    onTestRunEnd(testModules, errors) {
      modules = testModules
      for (const error of errors) unhandledErrors.push(`${error.name ?? 'Error'}: ${error.message}`)
    },
  }
  const files = selection ? selection.files(ROOT, options.areas) : options.areas.map((area) => `suites/${area}/`)
  // No file mentions the selection: nothing to run (an empty filter would run everything).
  if (files.length === 0) return { outcomes: [], unhandledErrors, budgetExhausted, cleanupProblems: [] }
  // Start-up has used the whole budget (vitest alone loads for seconds on a busy machine):
  // loading or starting it only to stop it would overrun the budget; the files say what was not run.
  const budgetGone = () => Date.now() >= config.deadline
  if (budgetGone()) return { outcomes: notStartedFiles(files), unhandledErrors, budgetExhausted: true, cleanupProblems: [] }
  const { createVitest } = await import('vitest/node')
  // A case may really wait up to --max-wait with the wait strategy, and set-up helpers
  // wait out a rate limit (given.ts) for up to a minute.
  const testTimeout = (config.timeStrategy === 'wait' ? config.maxWaitSeconds + 120 : 120) * 1000
  const vitest = await createVitest('test', {
    root: ROOT,
    config: SUITES_CONFIG,
    // Loads the config in memory: the default bundles it to a file beside it, which fails
    // where the installation is read-only to the user running verify (the image's `node`).
    configLoader: 'runner',
    watch: false,
    reporters: [collector],
    passWithNoTests: true,
    testTimeout,
    ...(selection && { testNamePattern: selection.pattern }),
  })
  // The collector uses it from vitest.start on; made here, so that every way out closes it.
  const turns = serialTurns(channelName)
  vitest.provide(PROVIDE_KEY, { ...config, serialTurns: channelName })
  try {
    if (budgetGone()) {
      budgetExhausted = true
      return { outcomes: notStartedFiles(files), unhandledErrors, budgetExhausted, cleanupProblems: [] }
    }
    const running = vitest.start(files)
    if ((await within(config.deadline - Date.now(), running)) === LATE) {
      budgetExhausted = true
      await stopAtBudget(vitest, running)
    }
  } finally {
    // Past the budget, a close that lingers is not waited for: the reports come first.
    turns.close()
    await (budgetExhausted ? within(CLOSE_LIMIT_MS, vitest.close()) : vitest.close())
  }
  // A run cut short may never have reached its end-of-run report: vitest's state knows what ran.
  if (modules.length === 0) modules = vitest.state.getTestModules()
  const outcomes = modules.flatMap((module) => moduleOutcomes(module, budgetExhausted)).filter(selected)
  const cleanupProblems = modules.flatMap((module) =>
    (module.meta().authconformFile?.cleanupProblems ?? []).map((problem) => `${suiteTopic(module.moduleId)}: ${problem}`),
  )
  return { outcomes, unhandledErrors, budgetExhausted, cleanupProblems }
}

/**
 * The deadline has passed: the workers have aborted their requests themselves (budget.ts),
 * vitest's cancel keeps further cases and files from starting, and the files' clean-ups get
 * CLEANUP_GRACE_MS. A worker still busy after that waits on something that is no request:
 * it is stopped, and its unfinished cases are reported as not run.
 */
async function stopAtBudget(vitest: Vitest, running: Promise<unknown>): Promise<void> {
  // Errors of a run being stopped are the stop's, not the target's.
  const stopped = running.catch(() => undefined)
  void vitest.cancelCurrentRun('budget' as never)
  if ((await within(CLEANUP_GRACE_MS + STOP_SLACK_MS, stopped)) !== LATE) return
  // A second cancel while the first is under way makes vitest's pool stop the workers forcibly.
  void vitest.cancelCurrentRun('budget' as never)
  await within(CLOSE_LIMIT_MS, stopped)
}

const LATE = Symbol('late')

/** `work`, or LATE when it takes longer than `ms`. */
async function within<T>(ms: number, work: Promise<T>): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(resolve, Math.min(Math.max(0, ms), MAX_TIMER_MS), LATE)
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}
