import { defineConfig } from 'vitest/config';

// The project's own tests. The conformance suites (suites/**/*.suite.ts) are not run
// from here: `authconform verify` runs them against a target with their own config.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'reports/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
