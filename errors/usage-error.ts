// Error types shared by every layer, kept below all of them: cli/, containers/, reports/,
// the suites' harness and the mock import them from here, never from one another.
//
// Usage errors are the user's mistake (a bad flag, a missing file, a malformed value), not
// the program's: they end the process with one readable line on stderr and exit code 2,
// never a stack trace. The CLI reports them in one place (cli/usage-error.ts).

export const USAGE_EXIT_CODE = 2

export class UsageError extends Error {
  readonly code = 'usage_error'

  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}
