import { defineConfig } from 'vitest/config';
import { SlowFilesReporter } from './support/slow-files-reporter.ts';

/**
 * Files that run alone, one after another, after all the others, as every file ran before:
 * the verify runs that must come out passed or caught (the container image's full run, the
 * profiles' round trips and sensitivity proof, the defect catalogue's sensitivity proof, the
 * embedded mock's full run) already run up to three verify processes at once, and their
 * exact-instant probes end "not verified" when the machine is too busy to answer inside one
 * second; control.int.test.ts probes a token in the fraction of a second left of its TTL.
 * Beside another file they failed that way (a full run at load 14–19, 2026-12-06).
 */
const ALONE = [
  'containers/containers.int.test.ts',
  'profiles/round-trips.int.test.ts',
  'mock/defects/sensitivity.int.test.ts',
  'cli/verify.int.test.ts',
  'mock/control/control.int.test.ts',
];

// reports/ holds run outputs (never *.test.ts) and the reporters' own tests; .podman/ holds
// the container engine's storage, with copies of this tree inside images.
const EXCLUDE = ['node_modules/**', '.podman/**'];

// The project's own tests. The conformance suites (suites/**/*.suite.ts) are not run
// from here: `authconform verify` runs them against a target with their own config.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    // The default output, and a line every minute for each file that has run over 5 minutes.
    reporters: ['default', new SlowFilesReporter()],
    hookTimeout: 60_000,
    // Vitest's default in `vitest run` is one worker fewer than the cores: one on the 2-core
    // machine, where every file then ran after the other (834 s in CI, 2026-12-06) while most
    // of them wait on what they spawn. The other files run two at a time; ALONE as before.
    // (A project's include and exclude would add to the root's, so each names its own.)
    projects: [
      { extends: true, test: { name: 'paired', include: ['**/*.test.ts'], exclude: [...EXCLUDE, ...ALONE], maxWorkers: 2 } },
      { extends: true, test: { name: 'alone', include: ALONE, exclude: EXCLUDE, maxWorkers: 1 } },
    ],
  },
});
