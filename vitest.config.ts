import { defineConfig } from 'vitest/config';

// The project's own tests. The conformance suites (suites/**/*.suite.ts) are not run
// from here: `authconform verify` runs them against a target with their own config.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // reports/ holds run outputs (never *.test.ts) and the reporters' own tests.
    exclude: ['node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
