// Runs the conformance suites in-process with vitest's Node API against one target: the
// target configuration goes to every worker through provide/inject, a collecting
// reporter turns vitest's report tree into CaseOutcomes, and an overall budget cancels
// the run (remaining cases end not verified) instead of letting a bad target hang it.
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createVitest, type Reporter, type TestCase, type TestModule } from 'vitest/node'
import type { CaseOutcome } from '../../reports/results.ts'
import type { CaseMeta } from './case-context.ts'
import { requirementSelection } from './requirement-selection.ts'
import { PROVIDE_KEY, type TargetConfig } from './target-config.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** The pseudo-case that carries a suite file's own errors. */
const SUITE_FILE = '(suite file)'
const SUITES_CONFIG = fileURLToPath(new URL('../vitest.config.ts', import.meta.url))

export interface SuiteRun {
  outcomes: CaseOutcome[]
  unhandledErrors: string[]
  budgetExhausted: boolean
}

export interface RunSuitesOptions {
  areas: readonly string[]
  /** Only the cases whose names carry one of these requirement IDs. */
  requirements?: readonly string[]
  budgetSeconds: number
  onCase?: (outcome: CaseOutcome) => void
  onLog?: (line: string) => void
}

export async function runSuites(config: TargetConfig, options: RunSuitesOptions): Promise<SuiteRun> {
  let modules: readonly TestModule[] = []
  const unhandledErrors: string[] = []
  const selection = options.requirements && requirementSelection(options.requirements)
  // Cases outside a requirement selection are not part of the run at all (not "skipped").
  const selected = (outcome: CaseOutcome) => !selection || outcome.name === SUITE_FILE || selection.pattern.test(outcome.fullName)
  const collector: Reporter = {
    onTestCaseResult(testCase) {
      const outcome = outcomeOf(testCase)
      if (selected(outcome)) options.onCase?.(outcome)
    },
    onUserConsoleLog(log) {
      options.onLog?.(log.content.trimEnd())
    },
    onTestRunEnd(testModules, errors) {
      modules = testModules
      for (const error of errors) unhandledErrors.push(`${error.name ?? 'Error'}: ${error.message}`)
    },
  }
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
  vitest.provide(PROVIDE_KEY, config)
  let budgetExhausted = false
  const budget = setTimeout(() => {
    budgetExhausted = true
    void vitest.cancelCurrentRun('budget' as never)
  }, options.budgetSeconds * 1000)
  try {
    const files = selection ? selection.files(ROOT, options.areas) : options.areas.map((area) => `suites/${area}/`)
    // No file mentions the selection: nothing to run (an empty filter would run everything).
    if (files.length > 0) await vitest.start(files)
  } finally {
    clearTimeout(budget)
    await vitest.close()
  }
  return { outcomes: modules.flatMap(moduleOutcomes).filter(selected), unhandledErrors, budgetExhausted }
}

function moduleOutcomes(module: TestModule): CaseOutcome[] {
  const file = relative(ROOT, module.moduleId)
  const outcomes = [...module.children.allTests()].map(outcomeOf)
  // Errors outside any test (a file that does not load, a failing beforeAll) are failures
  // of the file: report them as a case so they cannot vanish.
  const suiteErrors = [module, ...module.children.allSuites()].flatMap((suite) => suite.errors())
  if (suiteErrors.length > 0) {
    outcomes.push({
      file,
      fullName: SUITE_FILE,
      name: SUITE_FILE,
      state: 'failed',
      errors: suiteErrors.map((error) => `${error.name ?? 'Error'}: ${error.message}`),
      contractViolation: false,
      transcript: [],
      durationMs: 0,
    })
  }
  return outcomes
}

function outcomeOf(testCase: TestCase): CaseOutcome {
  const result = testCase.result()
  const meta: CaseMeta = testCase.meta().authconform ?? {}
  return {
    file: relative(ROOT, testCase.module.moduleId),
    fullName: testCase.fullName,
    name: testCase.name,
    state: result.state,
    ...(meta.verdict ? { verdict: meta.verdict } : {}),
    ...reasonOf(meta, result),
    errors: (result.errors ?? []).map(describeError),
    contractViolation: meta.contractViolation === true,
    transcript: meta.transcript ?? [],
    secrets: meta.secrets ?? [],
    durationMs: testCase.diagnostic()?.duration ?? 0,
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
