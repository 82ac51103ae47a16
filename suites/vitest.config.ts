// The conformance suites' own vitest config, used only by `authconform verify` (the
// project's tests use the root vitest.config.ts). Three groups, one after the other:
// ordinary suites (files in parallel), then clock suites one file at a time (a clock
// advance expires every other test's tokens), then rate-limit suites one at a time
// (exhausting a limit starves whoever shares it).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('..', import.meta.url))
const setupFiles = [fileURLToPath(new URL('./harness/setup.ts', import.meta.url))]
const CLOCK = 'suites/**/*.clock.suite.ts'
const RATE_LIMIT = 'suites/**/*.ratelimit.suite.ts'

export default defineConfig({
  root,
  test: {
    // Cases talk to a live target; a slow target must fail a case, not the harness.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'ordinary',
          include: ['suites/**/*.suite.ts'],
          exclude: [CLOCK, RATE_LIMIT],
          setupFiles,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'clock', include: [CLOCK], setupFiles, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: 'ratelimit', include: [RATE_LIMIT], setupFiles, fileParallelism: false, sequence: { groupOrder: 2 } },
      },
    ],
  },
})
