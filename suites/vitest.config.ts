// The conformance suites' own vitest config, used only by `authconform verify` (the
// project's tests use the root vitest.config.ts). Two groups, one after the other:
// ordinary suites (files in parallel), then the serial suites one file at a time — clock
// suites (a clock advance expires every other test's tokens) and rate-limit suites
// (exhausting a limit starves whoever shares it).
//
// Speed (the run is also CI time): files share their workers (isolate: false) instead of
// each paying a new worker and a fresh import of the harness (~1.5 s of CPU each: undici,
// ajv compiling the contract's schemas, faker, the contract). That is safe because the
// harness keeps no state across files — setup.ts resets it per file and the suites never
// use test.concurrent. Worker threads start faster than forked processes.
import { availableParallelism } from 'node:os'
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
    pool: 'threads',
    isolate: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'ordinary',
          include: ['suites/**/*.suite.ts'],
          exclude: [CLOCK, RATE_LIMIT],
          setupFiles,
          // Cases mostly wait on the target, so at least two files run at once even on a
          // 2-core machine (vitest's default there is one); more would only add workers'
          // start-up against the embedded mock, which shares those cores.
          maxWorkers: Math.max(2, availableParallelism()),
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        // One worker runs every serial file in turn (clock and rate-limit files in either order).
        test: { name: 'serial', include: [CLOCK, RATE_LIMIT], setupFiles, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
})
