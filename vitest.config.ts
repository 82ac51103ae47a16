import { defineConfig } from 'vitest/config';

// The project's own tests. The conformance suites (suites/**/*.suite.ts) are not run
// from here: `authconform verify` runs them against a target with their own config.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // reports/ holds run outputs (never *.test.ts) and the reporters' own tests; .podman/
    // holds the container engine's storage, with copies of this tree inside images.
    exclude: ['node_modules/**', '.podman/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
