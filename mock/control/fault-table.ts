// The faults injected through the control extension (feature test_faults): which requests
// each matches, how many it has answered, when it is spent. Checked against the contract
// when injected, so that a fault can only make an operation answer what it documents.
// No HTTP here: mock/http/fault-hook.ts applies what `take` hands out.
import type { components } from '../../openapi/generated/schema.d.ts'
import type { PrincipalSubject } from '../domain/contract.ts'
import { InvalidRequestError, NotFoundError, type ErrorCode, type FieldError } from '../domain/errors.ts'
import { randomBase62 } from '../domain/secrets.ts'
import type { DocumentedError, RouteSpec } from '../http/openapi-routes.ts'

export type FaultInput = components['schemas']['ControlFaultInput']
export type Fault = components['schemas']['ControlFault']

/** What a faulted request gets: the fault's answer, without its counts. */
export interface FaultAnswer {
  id: string
  /** error: the fault's problem; drop: no answer; delay: the real answer, late. */
  effect: 'error' | 'drop' | 'delay'
  status?: number
  code?: ErrorCode
  retryAfterSeconds?: number
  delayMs?: number
  /** Lower-case names of the headers the documented error answer carries. */
  headers: readonly string[]
}

/** The control extension's own operations: faulting them would take the controls away. */
const CONTROL_FEATURES = new Set(['test_control', 'test_faults'])
/** Retry-After when a fault gives none (the header's minimum). */
const DEFAULT_RETRY_AFTER_SECONDS = 1

interface FaultableOperation {
  authenticated: boolean
  errors: DocumentedError[]
}

export class FaultTable {
  /**
   * True while some fault is in force: the only thing a request reads when none is, so
   * that faults cost a server without them nothing but this check.
   */
  armed = false
  private faults: Fault[] = []
  private readonly operations: Map<string, FaultableOperation>

  constructor(routes: readonly RouteSpec[]) {
    this.operations = new Map(
      routes
        .filter((route) => route.feature === null || !CONTROL_FEATURES.has(route.feature))
        .map((route) => [route.operationId, { authenticated: route.authenticated, errors: route.errors }]),
    )
  }

  /** Whether requests of the operation can be faulted at all (routes the hook wraps). */
  faultable(operationId: string): boolean {
    return this.operations.has(operationId)
  }

  /** Checks the input against the operation's documented answers, then puts it in force. */
  add(input: FaultInput): Fault {
    const documented = this.check(input)
    const fault: Fault = {
      id: `flt_${randomBase62(20)}`,
      operation: input.operation,
      ...(input.subject && { subject: { type: input.subject.type, id: input.subject.id } }),
      ...(documented && {
        status: documented.status,
        code: input.code ?? (documented.codes[0] as ErrorCode),
        ...(documented.headers.includes('retry-after') && { retry_after: input.retry_after ?? DEFAULT_RETRY_AFTER_SECONDS }),
      }),
      ...(input.delay_ms !== undefined && { delay_ms: input.delay_ms }),
      ...(input.drop && { drop: true }),
      fraction: input.fraction ?? 1,
      remaining: input.times ?? null,
      matched: 0,
      injected: 0,
    }
    this.faults.push(fault)
    this.armed = true
    return { ...fault }
  }

  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }))
  }

  remove(id: string): void {
    const before = this.faults.length
    this.faults = this.faults.filter((fault) => fault.id !== id)
    if (this.faults.length === before) throw new NotFoundError(`There is no fault ${id} in force.`)
    this.armed = this.faults.length > 0
  }

  clear(): void {
    this.faults = []
    this.armed = false
  }

  /**
   * The fault that answers this request, if any: the first in injection order that
   * matches it and whose fraction selects it. Counts the request, and removes a fault
   * whose `times` it uses up.
   */
  take(operationId: string, subject: PrincipalSubject | null | undefined): FaultAnswer | undefined {
    for (const fault of this.faults) {
      if (fault.operation !== operationId) continue
      if (fault.subject && (subject?.type !== fault.subject.type || subject.id !== fault.subject.id)) continue
      fault.matched += 1
      if (!selects(fault.matched, fault.fraction)) continue
      fault.injected += 1
      if (fault.remaining !== null && --fault.remaining === 0) {
        this.faults = this.faults.filter((other) => other !== fault)
        this.armed = this.faults.length > 0
      }
      return answerOf(fault, this.operations.get(operationId)!)
    }
    return undefined
  }

  /** Refuses (400, naming the field) what the operation could not answer; its documented error for `status`. */
  private check(input: FaultInput): DocumentedError | undefined {
    const operation = this.operations.get(input.operation)
    if (!operation) {
      refuse('/operation', `'${input.operation}' is not an operation of the contract that can be faulted (the control extension's own cannot)`)
    }
    if (input.status === undefined && input.drop === undefined && input.delay_ms === undefined) {
      refuse('', 'needs status, drop or delay_ms')
    }
    if (input.status !== undefined && input.drop) refuse('/drop', 'excludes status: a dropped connection answers nothing')
    if (input.subject && !operation.authenticated) {
      refuse('/subject', `cannot match: ${input.operation} is called without credentials, so its requests have no subject`)
    }
    if (input.status === undefined) {
      if (input.code !== undefined) refuse('/code', 'needs status')
      if (input.retry_after !== undefined) refuse('/retry_after', 'needs status')
      return undefined
    }
    const documented = operation.errors.find((error) => error.status === input.status)
    if (!documented) {
      const statuses = operation.errors.map((error) => error.status).join(', ') || 'none'
      refuse('/status', `is ${input.status}, which ${input.operation} does not document (its error statuses: ${statuses})`)
    }
    if (input.code !== undefined && !documented.codes.includes(input.code)) {
      refuse('/code', `is ${input.code}, which the ${input.status} answer of ${input.operation} does not name (it names ${documented.codes.join(', ')})`)
    }
    if (input.retry_after !== undefined && !documented.headers.includes('retry-after')) {
      refuse('/retry_after', `needs an answer documented with Retry-After; the ${input.status} answer of ${input.operation} has none`)
    }
    return documented
  }
}

function refuse(path: string, message: string): never {
  const errors: FieldError[] = [{ in: 'body', path, message }]
  throw new InvalidRequestError(`Invalid fault: ${path === '' ? 'the body' : `body field ${path}`} ${message}.`, errors)
}

/**
 * Of the first k matching requests, ceil(k × fraction) are faulted, the first among them:
 * the k-th is faulted when that count grows with it. The small tolerance keeps products
 * such as 0.57 × 100 = 57.00000000000001 from counting one too many.
 */
function selects(k: number, fraction: number): boolean {
  if (fraction >= 1) return true
  const upTo = (n: number) => Math.ceil(n * fraction - 1e-9)
  return upTo(k) > upTo(k - 1)
}

function answerOf(fault: Fault, operation: FaultableOperation): FaultAnswer {
  const effect = fault.status !== undefined ? 'error' : fault.drop ? 'drop' : 'delay'
  return {
    id: fault.id,
    effect,
    ...(fault.status !== undefined && { status: fault.status, code: fault.code as ErrorCode }),
    ...(fault.retry_after !== undefined && { retryAfterSeconds: fault.retry_after }),
    ...(fault.delay_ms !== undefined && { delayMs: fault.delay_ms }),
    headers: operation.errors.find((error) => error.status === fault.status)?.headers ?? [],
  }
}
