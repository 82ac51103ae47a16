// The conformance suites' own vitest config, used only by `authconform verify` (the
// project's tests use the root vitest.config.ts). Ordinary files run side by side; the
// serial files — clock suites (a clock advance expires every other file's tokens) and
// rate-limit suites (exhausting a limit starves whoever shares it) — come last, alone and
// one at a time: they are queued last here and wait for their turn (harness/serial-turns.ts).
//
// Speed (the run is also CI time): files share their workers (isolate: false) instead of
// each paying a new worker and a fresh import of the harness (~1.5 s of CPU each: undici,
// ajv compiling the contract's schemas, faker, the contract) — the serial files too, which
// is why they are not a project of their own (whose worker would import all that again at
// the end of the run). That is safe because the harness keeps no state across files —
// setup.ts resets it per file and the suites never use test.concurrent. Worker threads
// start faster than forked processes.
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { defineConfig } from 'vitest/config'
import { SERIAL_FILE } from './harness/serial-turns.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

/** vitest's order (longest files first, from its cache), the serial files after all others. */
class SerialFilesLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const serial = (file: TestSpecification) => SERIAL_FILE.test(file.moduleId)
    return [...sorted.filter((file) => !serial(file)), ...sorted.filter(serial)]
  }
}

export default defineConfig({
  root,
  test: {
    include: ['suites/**/*.suite.ts'],
    setupFiles: [fileURLToPath(new URL('./harness/setup.ts', import.meta.url))],
    // Cases talk to a live target; a slow target must fail a case, not the harness.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'threads',
    isolate: false,
    // Cases mostly wait on the target, so at least two files run at once even on a 2-core
    // machine (vitest's default there is one); more would only add workers' start-up
    // against the embedded mock, which shares those cores.
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: SerialFilesLast },
  },
})
