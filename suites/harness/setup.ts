// Runs in every suite file before its cases (vitest setupFiles): makes a serial file wait
// for its turn, seeds the file's faker, tracks the running case for verdicts and
// transcripts, removes the file's data at the end, gives each rate-limit file fresh
// windows, and hands the runner what happened outside the cases (the file's meta).
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { budgetSignal } from './budget.ts'
import { enterCase, leaveCase, takeViolationsOutsideCases } from './case-context.ts'
import { SetupError } from './errors.ts'
import { runCleanups } from './given.ts'
import { SERIAL_FILE, awaitTurn } from './serial-turns.ts'
import { checkAssumptions } from './profile-hook.ts'
import { enterFile, targetConfig } from './target.ts'
import { MAX_TIMER_MS } from './target-config.ts'
import { resetCaseTime, time } from './time.ts'

// vitest 4 passes file-scoped fixtures first (a destructuring pattern is required), the file second.
beforeAll(
  async ({}, suite) => {
    // A file-level beforeAll receives the test file, which knows its path.
    const filePath = 'filepath' in suite ? suite.filepath : suite.name
    if (SERIAL_FILE.test(filePath)) {
      const channel = targetConfig().serialTurns
      if (!channel) throw new SetupError('serial files run through `authconform verify` only (it hands out their turns)')
      // However long the other files take: the run's budget, not a hook timeout, bounds the wait.
      await awaitTurn(channel, filePath, budgetSignal())
    }
    enterFile(filePath)
    if (filePath.endsWith('.ratelimit.suite.ts')) await time.resetRateLimits()
  },
  MAX_TIMER_MS,
)

beforeEach((context) => {
  enterCase(context)
  resetCaseTime()
  checkAssumptions(context.task.name)
})

afterEach(() => {
  leaveCase()
})

afterAll(async ({}, suite) => {
  // Cleanup is bookkeeping, not a verdict on the target: reported at the end of the run, not failed.
  const cleanupProblems = await runCleanups()
  const contractViolations = takeViolationsOutsideCases()
  suite.meta.authconformFile = {
    ...(cleanupProblems.length > 0 && { cleanupProblems }),
    ...(contractViolations.length > 0 && { contractViolations }),
  }
})
