// The case that is running in this worker. Test files run their cases one after another
// (the harness never uses test.concurrent), so one module-level slot is enough; the
// setup file (setup.ts) fills it in beforeEach. Verdicts and transcripts travel to the
// main process in the test's `meta`, which vitest serialises for reporters.
import type { TestContext } from 'vitest'

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

export interface CaseMeta {
  verdict?: Verdict
  reason?: string
  transcript?: TranscriptEntry[]
  contractViolation?: boolean
  /** Secret values this case sent or received, so the reports can blank them anywhere. */
  secrets?: string[]
}

declare module 'vitest' {
  interface TaskMeta {
    authconform?: CaseMeta
  }
}

/** Keep the last requests only: the ones that led to the failure. */
const TRANSCRIPT_LIMIT = 25
const BODY_LIMIT = 4096

let current: TestContext | undefined
let transcript: TranscriptEntry[] = []
let secrets = new Set<string>()

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

export function record(entry: TranscriptEntry): void {
  if (!current) return
  transcript.push({
    ...entry,
    requestBody: truncate(entry.requestBody),
    responseBody: truncate(entry.responseBody),
  })
}

export function markContractViolation(): void {
  if (current) caseMeta(current).contractViolation = true
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
