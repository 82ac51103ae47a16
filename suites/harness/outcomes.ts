// vitest's report tree as CaseOutcomes: each case's state, its verdict and reason (its
// own, the budget's, or the set-up that failed above it), the requirements it credited a
// failure to, the contract violations it met; and per file the pseudo-cases that keep
// what happened outside the cases from vanishing (a file that did not load or whose
// set-up failed, violations in the responses to its set-up and clean-up).
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestCase, TestModule, TestSuite } from 'vitest/node'
import type { CaseOutcome, SetupFailure } from '../../reports/results.ts'
import type { CaseMeta } from './case-context.ts'
import { suiteFiles } from './suite-cases.ts'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** The pseudo-case that carries a suite file's own errors. */
export const SUITE_FILE = '(suite file)'
/** The pseudo-case that carries violations in responses to a file's set-up and clean-up (named for ERR-017). */
export const OUTSIDE_CASES = 'ERR-017 the responses to the set-up and clean-up requests of this file honour the contract'
export const FILE_PSEUDO_CASES: ReadonlySet<string> = new Set([SUITE_FILE, OUTSIDE_CASES])
const BUDGET_RAN_OUT = 'not run: the run budget (--budget) ran out first'
const BUDGET_RAN_OUT_FOR_FILE = 'not run: the run budget (--budget) ran out before this file started'

/** The suite files of a run that the budget kept from starting (directories stand for their files). */
export function notStartedFiles(files: readonly string[]): CaseOutcome[] {
  return files.flatMap((file) => (file.endsWith('/') ? suiteFiles(join(ROOT, file)) : [file])).map(notStarted)
}

/** A suite file the budget kept from starting: never collected, so it stands for its cases. */
function notStarted(path: string): CaseOutcome {
  const file = relative(ROOT, resolve(ROOT, path))
  return { ...fileCase(file), state: 'skipped', verdict: 'not_verified', reason: BUDGET_RAN_OUT_FOR_FILE, errors: [] }
}

function fileCase(file: string, name = SUITE_FILE) {
  return { file, fullName: name, name, contractViolations: [], transcript: [], durationMs: 0 }
}

export function moduleOutcomes(module: TestModule, budgetExhausted: boolean): CaseOutcome[] {
  const outcomes = [...module.children.allTests()].map((testCase) => outcomeOf(testCase, budgetExhausted))
  return [...outcomes, ...fileOutcomes(module, budgetExhausted, outcomes.length)]
}

/**
 * What a file reports beside its cases, as pseudo-cases so that nothing can vanish: errors
 * outside any test (a file that does not load, a failing beforeAll) are failures of the
 * file; violations in the responses to its set-up and clean-up fail ERR-017.
 */
export function fileOutcomes(module: TestModule, budgetExhausted: boolean, cases = [...module.children.allTests()].length): CaseOutcome[] {
  const file = relative(ROOT, module.moduleId)
  const outcomes: CaseOutcome[] = []
  // A set-up the run's profile cannot express is no failure: its cases say they are not applicable (takenDownBy).
  const suiteErrors = [module, ...module.children.allSuites()].flatMap((suite) => suite.errors()).filter((error) => error.name !== 'NotApplicableError')
  // Stopped by the budget before its cases ran (a serial file still waiting for its turn,
  // a set-up cut short): its cases say so, the file has not failed.
  const stoppedByBudget = budgetExhausted && suiteErrors.length > 0 && suiteErrors.every((error) => error.name === 'BudgetExhaustedError')
  if (stoppedByBudget) {
    if (cases === 0) outcomes.push(notStarted(module.moduleId))
  } else if (suiteErrors.length > 0) {
    outcomes.push({ ...fileCase(file), state: 'failed', errors: suiteErrors.map((error) => `${error.name ?? 'Error'}: ${error.message}`) })
  } else if (cases === 0 && budgetExhausted) {
    outcomes.push(notStarted(module.moduleId))
  }
  const violations = module.meta().authconformFile?.contractViolations ?? []
  if (violations.length > 0) outcomes.push({ ...fileCase(file, OUTSIDE_CASES), state: 'passed', errors: [], contractViolations: violations })
  return outcomes
}

export function outcomeOf(testCase: TestCase, budgetExhausted: boolean): CaseOutcome {
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
    ...(cutOff ? {} : takenDownBy(testCase, meta)),
    contractViolations: meta.contractViolations ?? [],
    ...(meta.failedRequirements ? { failedRequirements: meta.failedRequirements } : {}),
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

/**
 * A case skipped without a verdict of its own because a beforeAll above it failed: not
 * verified, and why — or not applicable, when that set-up is one the run's profile cannot
 * express (NotApplicableError, profile-hook.ts).
 */
function takenDownBy(testCase: TestCase, meta: CaseMeta): { verdict?: 'not_verified' | 'not_applicable'; reason?: string; setupFailure?: SetupFailure } {
  if (meta.verdict || testCase.result().state !== 'skipped') return {}
  for (let scope: TestSuite | TestModule = testCase.parent; ; scope = scope.parent) {
    const [error] = scope.errors()
    if (error?.name === 'NotApplicableError') return { verdict: 'not_applicable', reason: error.message }
    if (error) {
      const setupFailure = {
        scope: scope.type === 'module' ? 'the file' : `"${scope.fullName}"`,
        error: `${error.name ?? 'Error'}: ${error.message}`,
      }
      return { verdict: 'not_verified', reason: `not run: the set-up of ${setupFailure.scope} failed — ${setupFailure.error.split('\n')[0]}`, setupFailure }
    }
    if (scope.type === 'module') return {}
  }
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
