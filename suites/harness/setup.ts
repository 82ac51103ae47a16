// Runs in every suite file before its cases (vitest setupFiles): seeds the file's faker,
// tracks the running case for verdicts and transcripts, removes the file's data at the
// end, and gives each rate-limit file fresh windows.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { enterCase, leaveCase } from './case-context.ts'
import { runCleanups } from './given.ts'
import { enterFile } from './target.ts'
import { resetCaseTime, time } from './time.ts'

// vitest 4 passes file-scoped fixtures first (a destructuring pattern is required), the file second.
beforeAll(async ({}, suite) => {
  // A file-level beforeAll receives the test file, which knows its path.
  const filePath = 'filepath' in suite ? suite.filepath : suite.name
  enterFile(filePath)
  if (filePath.endsWith('.ratelimit.suite.ts')) await time.resetRateLimits()
})

beforeEach((context) => {
  enterCase(context)
  resetCaseTime()
})

afterEach(() => {
  leaveCase()
})

afterAll(async () => {
  const problems = await runCleanups()
  // Cleanup is bookkeeping, not a verdict on the target: report, do not fail.
  for (const problem of problems) console.warn(`authconform cleanup: ${problem}`)
})
