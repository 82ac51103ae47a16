// The harness's own failures, as classes with a stable `code` (undici style), so the
// result collector can tell a contract violation or an unreachable target from an
// ordinary assertion failure.

/** A response broke the OpenAPI bundle (ERR-017): wrong status, body, header or media type. */
export class ContractViolationError extends Error {
  readonly code = 'contract_violation'
  constructor(
    readonly operationId: string,
    readonly violations: readonly string[],
  ) {
    super(`ERR-017 contract violation in ${operationId}:\n  ${violations.join('\n  ')}`)
    this.name = 'ContractViolationError'
  }
}

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
