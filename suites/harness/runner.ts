// Runs the conformance suites in-process with vitest's Node API against one target: the
// target configuration goes to every worker through provide/inject, a collecting
// reporter turns vitest's report tree into CaseOutcomes, and the run's deadline (--budget)
// ends the run instead of letting a bad target hang it: the workers abort their own
// requests at the deadline (budget.ts), this side cancels the vitest run, and stops the
// workers outright if they have not finished shortly after.
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node'
import type { CaseOutcome } from '../../reports/results.ts'
import type { CaseMeta } from './case-context.ts'
import { requirementSelection } from './requirement-selection.ts'
import { serialTurns } from './serial-turns.ts'
import { suiteFiles } from './suite-cases.ts'
import { CLEANUP_GRACE_MS, MAX_TIMER_MS, PROVIDE_KEY, type TargetConfig } from './target-config.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** The pseudo-case that carries a suite file's own errors. */
const SUITE_FILE = '(suite file)'
const SUITES_CONFIG = fileURLToPath(new URL('../vitest.config.ts', import.meta.url))
/** After the deadline and the clean-up grace: how long the workers get to end their files before they are stopped. */
const STOP_SLACK_MS = 500
/** How long stopping the workers and closing vitest may take before the run is reported without them. */
const CLOSE_LIMIT_MS = 1000
const BUDGET_RAN_OUT = 'not run: the run budget (--budget) ran out first'
const BUDGET_RAN_OUT_FOR_FILE = 'not run: the run budget (--budget) ran out before this file started'

export interface SuiteRun {
  outcomes: CaseOutcome[]
  unhandledErrors: string[]
  budgetExhausted: boolean
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
  // Cases outside a requirement selection are not part of the run at all (not "skipped").
  const selected = (outcome: CaseOutcome) => !selection || outcome.name === SUITE_FILE || selection.pattern.test(outcome.fullName)
  // A cancelled run reports some cases again; the progress shows each once.
  const reported = new Set<string>()
  const channelName = `authconform-serial-turns-${config.runId}`
  const collector: Reporter = {
    onTestRunStart(specifications) {
      turns.start(specifications.map((specification) => specification.moduleId))
    },
    onTestModuleEnd(testModule) {
      turns.ended(testModule.moduleId)
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
  if (files.length === 0) return { outcomes: [], unhandledErrors, budgetExhausted }
  // Start-up has used the whole budget (vitest alone loads for seconds on a busy machine):
  // loading or starting it only to stop it would overrun the budget; the files say what was not run.
  const budgetGone = () => Date.now() >= config.deadline
  if (budgetGone()) return { outcomes: notStartedFiles(files), unhandledErrors, budgetExhausted: true }
  const { createVitest } = await import('vitest/node')
  // A case may really wait up to --max-wait with the wait strategy, and set-up helpers
  // wait out a rate limit (given.ts) for up to a minute.
  const testTimeout = (config.timeStrategy === 'wait' ? config.maxWaitSeconds + 120 : 120) * 1000
  const vitest = await createVitest('test', {
    root: ROOT,
    config: SUITES_CONFIG,
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
      return { outcomes: notStartedFiles(files), unhandledErrors, budgetExhausted }
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
  return { outcomes, unhandledErrors, budgetExhausted }
}

/** The suite files of a run that the budget kept from starting (directories stand for their files). */
function notStartedFiles(files: readonly string[]): CaseOutcome[] {
  return files.flatMap((file) => (file.endsWith('/') ? suiteFiles(join(ROOT, file)) : [file])).map(notStarted)
}

/** A suite file the budget kept from starting: never collected, so it stands for its cases. */
function notStarted(path: string): CaseOutcome {
  const file = relative(ROOT, resolve(ROOT, path))
  return { ...fileCase(file), state: 'skipped', verdict: 'not_verified', reason: BUDGET_RAN_OUT_FOR_FILE, errors: [] }
}

function fileCase(file: string) {
  return { file, fullName: SUITE_FILE, name: SUITE_FILE, contractViolation: false, transcript: [], durationMs: 0 }
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

function moduleOutcomes(module: TestModule, budgetExhausted: boolean): CaseOutcome[] {
  const file = relative(ROOT, module.moduleId)
  const outcomes = [...module.children.allTests()].map((testCase) => outcomeOf(testCase, budgetExhausted))
  // Errors outside any test (a file that does not load, a failing beforeAll) are failures
  // of the file: report them as a case so they cannot vanish.
  const suiteErrors = [module, ...module.children.allSuites()].flatMap((suite) => suite.errors())
  // Stopped by the budget before its cases ran (a serial file still waiting for its turn,
  // a set-up cut short): its cases say so, the file has not failed.
  const stoppedByBudget = budgetExhausted && suiteErrors.length > 0 && suiteErrors.every((error) => error.name === 'BudgetExhaustedError')
  if (stoppedByBudget) {
    if (outcomes.length === 0) outcomes.push(notStarted(module.moduleId))
  } else if (suiteErrors.length > 0) {
    outcomes.push({ ...fileCase(file), state: 'failed', errors: suiteErrors.map((error) => `${error.name ?? 'Error'}: ${error.message}`) })
  } else if (outcomes.length === 0 && budgetExhausted) {
    outcomes.push(notStarted(module.moduleId))
  }
  return outcomes
}

function outcomeOf(testCase: TestCase, budgetExhausted: boolean): CaseOutcome {
  const result = testCase.result()
  const meta: CaseMeta = testCase.meta().authconform ?? {}
  const cutOff = cutOffReason(meta, result, budgetExhausted)
  return {
    file: relative(ROOT, testCase.module.moduleId),
    fullName: testCase.fullName,
    name: testCase.name,
    ...(cutOff
      ? { state: 'skipped', verdict: 'not_verified', reason: cutOff, errors: [] }
      : { state: result.state, ...(meta.verdict ? { verdict: meta.verdict } : {}), ...reasonOf(meta, result), errors: (result.errors ?? []).map(describeError) }),
    contractViolation: meta.contractViolation === true,
    transcript: meta.transcript ?? [],
    secrets: meta.secrets ?? [],
    durationMs: testCase.diagnostic()?.duration ?? 0,
  }
}

/** Why the budget, not the target, ended this case; undefined when it ended on its own. */
function cutOffReason(meta: CaseMeta, result: ReturnType<TestCase['result']>, budgetExhausted: boolean): string | undefined {
  if (meta.verdict) return undefined
  const errors = result.errors ?? []
  // Its requests or waits were aborted at the deadline (budget.ts).
  if (result.state === 'failed' && errors.length > 0 && errors.every((error) => error.name === 'BudgetExhaustedError')) {
    return `stopped: ${errors[0]!.message}`
  }
  // Cancelled before it started (or while it ran) by vitest.
  if (budgetExhausted && (result.state === 'pending' || result.state === 'skipped')) return BUDGET_RAN_OUT
  return undefined
}

function reasonOf(meta: CaseMeta, result: ReturnType<TestCase['result']>): { reason?: string } {
  const reason = meta.reason ?? (result.state === 'skipped' ? result.note : undefined)
  return reason ? { reason } : {}
}

function describeError(error: { name?: string; message: string; stack?: string; diff?: string }): string {
  // The first frame in a suite file (not the harness) says where the case failed.
  const frame = error.stack?.split('\n').find((line) => /\/suites\/(?!harness\/)/.test(line))
  const name = error.name && error.name !== 'AssertionError' && error.name !== 'Error' ? `${error.name}: ` : ''
  return [`${name}${error.message}`, error.diff, frame?.trim()].filter(Boolean).join('\n')
}
