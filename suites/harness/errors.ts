// The harness's own failures, as classes with a stable `code` (undici style), so the
// result collector can tell an unreachable target or a broken set-up from an ordinary
// assertion failure. (A response that breaks the contract is no error: it is recorded as an
// ERR-017 violation, case-context.ts.)

/** The target did not answer in time, refused the connection or broke the exchange. */
export class TargetError extends Error {
  readonly code = 'target_error'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TargetError'
  }
}

/** A `given.*` helper could not set up the data a case needs: the target misbehaved. */
export class SetupError extends Error {
  readonly code = 'setup_failed'
  constructor(message: string) {
    super(message)
    this.name = 'SetupError'
  }
}

/** The run's --budget ran out while a request or a wait was under way: the run is over, not the target at fault. */
export class BudgetExhaustedError extends Error {
  readonly code = 'budget_exhausted'
  constructor(message: string) {
    super(message)
    this.name = 'BudgetExhaustedError'
  }
}

/**
 * The suite itself is wrong, whatever the target answers: a case asserts what neither its
 * requirement nor the called operation's documented responses state.
 */
export class SuiteError extends Error {
  readonly code = 'suite_error'
  constructor(message: string) {
    super(message)
    this.name = 'SuiteError'
  }
}

/**
 * Under a profile, a file's set-up (outside any case) needs what the profile cannot express:
 * the cases it prepares are not applicable, with this reason (runner.ts reports them so).
 */
export class NotApplicableError extends Error {
  readonly code = 'not_applicable'
  constructor(message: string) {
    super(message)
    this.name = 'NotApplicableError'
  }
}
