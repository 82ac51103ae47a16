// The case that is running in this worker. Test files run their cases one after another
// (the harness never uses test.concurrent), so one module-level slot is enough; the
// setup file (setup.ts) fills it in beforeEach. Verdicts and transcripts travel to the
// main process in the test's `meta`, which vitest serialises for reporters.
import type { TestContext } from 'vitest'
import { requirementIds } from './case-ids.ts'

/** What a case ended as when it stopped without passing or failing. */
export type Verdict = 'not_applicable' | 'not_verified'

export interface TranscriptEntry {
  method: string
  url: string
  requestHeaders: Record<string, string>
  requestBody?: string
  status?: number
  responseHeaders?: Record<string, string>
  responseBody?: string
  durationMs: number
  error?: string
}

/** A response that broke the OpenAPI bundle (ERR-017), with the exchange that showed it. */
export interface ContractViolation {
  /** The operation's id, or 'METHOD /path' when no operation matches. */
  operation: string
  violations: string[]
  exchange: TranscriptEntry
}

export interface CaseMeta {
  verdict?: Verdict
  reason?: string
  transcript?: TranscriptEntry[]
  /** Recorded, not thrown: they fail ERR-017, not the case's own requirements. */
  contractViolations?: ContractViolation[]
  /** When the case fails: the requirements its failure is credited to (a subset of its name's IDs). */
  failedRequirements?: string[]
  /** Secret values this case sent or received, so the reports can blank them anywhere. */
  secrets?: string[]
}

/** What a suite file reports outside its cases (set in its last afterAll). */
export interface FileMeta {
  /** Violations in responses to the file's set-up and clean-up requests. */
  contractViolations?: ContractViolation[]
  /** Test data the file could not remove (bookkeeping, not a verdict on the target). */
  cleanupProblems?: string[]
}

declare module 'vitest' {
  interface TaskMeta {
    authconform?: CaseMeta
    authconformFile?: FileMeta
  }
}

/** Keep the last requests only: the ones that led to the failure. */
const TRANSCRIPT_LIMIT = 25
const BODY_LIMIT = 4096

let current: TestContext | undefined
let transcript: TranscriptEntry[] = []
let secrets = new Set<string>()
/** Violations seen outside any case (hooks), until the file hands them on. */
let outsideCases: ContractViolation[] = []

export function enterCase(context: TestContext): void {
  current = context
  // This case's own buffers: onTestFailed runs after afterEach has moved on (leaveCase).
  const caseTranscript: TranscriptEntry[] = []
  const caseSecrets = new Set<string>()
  transcript = caseTranscript
  secrets = caseSecrets
  context.onTestFailed(() => {
    const meta = caseMeta(context)
    meta.transcript = caseTranscript.slice(-TRANSCRIPT_LIMIT)
    meta.secrets = [...caseSecrets]
  })
}

/** Whether a case is running (outside one, requests are the harness's own set-up and clean-up). */
export function caseRunning(): boolean {
  return current !== undefined
}

export function leaveCase(): void {
  current = undefined
  transcript = []
  secrets = new Set()
}

/** Remembers secret values (passwords, API secrets, tokens, credentials) of the case. */
export function rememberSecrets(values: Iterable<string>): void {
  if (!current) return
  for (const value of values) if (value) secrets.add(value)
}

/** Keeps the exchange in the running case's transcript; returns it as kept (bodies truncated). */
export function record(entry: TranscriptEntry): TranscriptEntry {
  const kept = { ...entry, requestBody: truncate(entry.requestBody), responseBody: truncate(entry.responseBody) }
  if (current) transcript.push(kept)
  return kept
}

/**
 * Notes a response that broke the contract, for ERR-017. The case goes on: its own
 * assertions decide its own requirements. Outside a case (a hook), the file reports it.
 */
export function recordContractViolation(violation: ContractViolation): void {
  if (current) (caseMeta(current).contractViolations ??= []).push(violation)
  else outsideCases.push(violation)
}

/** The violations seen outside cases since the last call (the file's set-up and clean-up). */
export function takeViolationsOutsideCases(): ContractViolation[] {
  const taken = outsideCases
  outsideCases = []
  return taken
}

/**
 * Credits the running case's failure to these of its requirements only — for a case that
 * checks several rules and knows which one decided (the differential case). Call it just
 * before failing; IDs the case's name does not carry are ignored by the reports.
 */
export function creditFailureTo(requirementIds: readonly string[]): void {
  if (!current) throw new Error('creditFailureTo: called outside a case')
  caseMeta(current).failedRequirements = [...new Set(requirementIds)]
}

/**
 * Runs assertions that check one rule (sync or async): if they fail, the case's failure is
 * credited to `rule` — the requirements named, or, with `{ except }`, every requirement
 * the case's name carries but those. An enclosing `crediting` may narrow what an inner one
 * credited (a case that knows which of its rules an inner helper checked), never widen it.
 */
export function crediting<T>(rule: readonly string[] | { except: readonly string[] }, check: () => T): T {
  const credit = () => {
    if (!current) return
    const tags = requirementIds(current.task.name)
    const named = 'except' in rule ? tags.filter((id) => !rule.except.includes(id)) : [...rule]
    const credited = named.filter((id) => tags.includes(id))
    const before = caseMeta(current).failedRequirements
    if (credited.length > 0 && (!before || credited.every((id) => before.includes(id)))) creditFailureTo(credited)
  }
  try {
    const result = check()
    if (result instanceof Promise) {
      return result.catch((error: unknown) => {
        credit()
        throw error
      }) as T
    }
    return result
  } catch (error) {
    credit()
    throw error
  }
}

/** Ends the running case as not applicable / not verified: never as passed. */
export function stopCase(verdict: Verdict, reason: string): never {
  if (!current) throw new Error(`${verdict.replace('_', ' ')}: ${reason} (called outside a case)`)
  const meta = caseMeta(current)
  meta.verdict = verdict
  meta.reason = reason
  current.skip(reason)
  throw new Error('unreachable: ctx.skip() returned')
}

function caseMeta(context: TestContext): CaseMeta {
  context.task.meta.authconform ??= {}
  return context.task.meta.authconform
}

function truncate(text: string | undefined): string | undefined {
  if (text === undefined || text.length <= BODY_LIMIT) return text
  return `${text.slice(0, BODY_LIMIT)}… (${text.length - BODY_LIMIT} more characters)`
}
