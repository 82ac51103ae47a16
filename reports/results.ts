// The results model every report is written from: each case's status from its vitest
// outcome, its requirement IDs and levels, the expected-failures list and --strict; the
// coverage matrix (requirement → cases → status); the run's verdict and exit code.
// Secrets are redacted here, once, before any reporter sees a transcript or a message.
import type { Requirement, RequirementArea, RequirementLevel } from '../openapi/contract.ts'
import { caseId, requirementIds, suiteTopic } from '../suites/harness/case-ids.ts'
import type { TranscriptEntry, Verdict } from '../suites/harness/case-context.ts'
import { applyExpectedFailures, type ExpectedFailure, type StaleEntry } from './expected-failures.ts'
import { redactBody, redactHeaders, redactText } from './redact.ts'

/** What vitest reported about one case (collected by the runner). */
export interface CaseOutcome {
  /** Suite file relative to the repository: 'suites/auth/refresh.suite.ts'. */
  file: string
  /** Describe names and test name joined with ' > '. */
  fullName: string
  name: string
  state: 'passed' | 'failed' | 'skipped' | 'pending'
  verdict?: Verdict
  reason?: string
  errors: string[]
  contractViolation: boolean
  transcript: TranscriptEntry[]
  /** Secret values the case handled (never written; used to blank them). */
  secrets?: string[]
  durationMs: number
}

export type CaseStatus = 'passed' | 'failed' | 'warning' | 'expected_failure' | 'not_verified' | 'not_applicable'
export type RequirementStatus = CaseStatus | 'no_case'

export interface CaseResult {
  id: string
  file: string
  name: string
  fullName: string
  area: string
  requirements: string[]
  level: RequirementLevel
  status: CaseStatus
  durationMs: number
  /** Why it failed, was not verified or not applicable (redacted). */
  message?: string
  expectedReason?: string
  transcript?: TranscriptEntry[]
}

export interface CoverageRow {
  id: string
  level: RequirementLevel
  area: RequirementArea
  title: string
  status: RequirementStatus
  cases: string[]
}

export interface RunInfo {
  target: string
  runId: string
  seed: number
  timeStrategy: string
  timeReason: string
  areas: RequirementArea[]
  strict: boolean
  startedAt: string
  durationMs: number
  budgetExhausted: boolean
  unhandledErrors: string[]
}

export interface RunResults {
  run: RunInfo
  verdict: 'passed' | 'failed'
  exitCode: 0 | 1
  counts: Record<CaseStatus, number>
  cases: CaseResult[]
  coverage: CoverageRow[]
  staleExpectedFailures: StaleEntry[]
}

export const CASE_STATUSES: readonly CaseStatus[] = ['passed', 'failed', 'warning', 'expected_failure', 'not_verified', 'not_applicable']

/** Worst first: a requirement takes the worst status among its cases. */
const REQUIREMENT_ORDER: readonly RequirementStatus[] = ['failed', 'warning', 'expected_failure', 'not_verified', 'passed', 'not_applicable', 'no_case']

export interface BuildInput {
  outcomes: CaseOutcome[]
  requirements: readonly Requirement[]
  expectedFailures: ExpectedFailure[]
  run: RunInfo
  /** Values to blank wherever they appear (the admin secret, the control token). */
  secrets: string[]
}

export function buildResults(input: BuildInput): RunResults {
  const levels = new Map(input.requirements.map((requirement) => [requirement.id, requirement.level]))
  const initial = input.outcomes.map((outcome) => caseResult(outcome, levels, input, [...input.secrets, ...(outcome.secrets ?? [])]))
  const { cases, stale } = applyExpectedFailures(initial, input.expectedFailures)
  const counts = Object.fromEntries(CASE_STATUSES.map((status) => [status, 0])) as Record<CaseStatus, number>
  for (const result of cases) counts[result.status] += 1
  const failed =
    counts.failed > 0 ||
    (input.run.strict && counts.warning > 0) ||
    stale.length > 0 ||
    input.run.budgetExhausted ||
    input.run.unhandledErrors.length > 0
  return {
    run: { ...input.run, unhandledErrors: input.run.unhandledErrors.map((error) => redactText(error, input.secrets)) },
    verdict: failed ? 'failed' : 'passed',
    exitCode: failed ? 1 : 0,
    counts,
    cases,
    coverage: coverage(cases, input.requirements, input.run.areas),
    staleExpectedFailures: stale,
  }
}

function caseResult(
  outcome: CaseOutcome,
  levels: Map<string, RequirementLevel>,
  input: BuildInput,
  secrets: string[],
): CaseResult {
  const redacted = (text: string) => redactText(text, secrets)
  const ids = requirementIds(outcome.name)
  // A contract violation is an ERR-017 failure whatever else the case checks.
  const requirements = outcome.contractViolation && !ids.includes('ERR-017') ? [...ids, 'ERR-017'] : ids
  // Only a case that names nothing but SHOULDs is a SHOULD; an unnamed one (a file that
  // failed to load) counts as a MUST.
  const level: RequirementLevel = requirements.length > 0 && requirements.every((id) => levels.get(id) === 'SHOULD') ? 'SHOULD' : 'MUST'
  const status = caseStatus(outcome, level)
  const message =
    status === 'failed' || status === 'warning' ? outcome.errors.join('\n\n')
    : status === 'not_verified' || status === 'not_applicable' ? (outcome.reason ?? reasonWithoutVerdict(outcome, input.run))
    : undefined
  return {
    id: caseId(outcome.file, outcome.fullName),
    file: outcome.file,
    name: outcome.name,
    fullName: outcome.fullName,
    area: suiteTopic(outcome.file).split('/')[0] ?? '',
    requirements,
    level,
    status,
    durationMs: Math.round(outcome.durationMs),
    ...(message ? { message: redacted(message) } : {}),
    ...(outcome.state === 'failed' ? { transcript: outcome.transcript.map((entry) => redactEntry(entry, secrets)) } : {}),
  }
}

function caseStatus(outcome: CaseOutcome, level: RequirementLevel): CaseStatus {
  if (outcome.state === 'passed') return 'passed'
  if (outcome.state === 'failed') return level === 'SHOULD' ? 'warning' : 'failed'
  return outcome.verdict ?? 'not_verified'
}

function reasonWithoutVerdict(outcome: CaseOutcome, run: RunInfo): string {
  if (outcome.state === 'pending' || run.budgetExhausted) return 'not run: the run budget (--budget) ran out first'
  return 'skipped by the suite'
}

function redactEntry(entry: TranscriptEntry, secrets: string[]): TranscriptEntry {
  return {
    ...entry,
    url: redactText(entry.url, secrets),
    requestHeaders: redactHeaders(entry.requestHeaders, secrets) ?? {},
    requestBody: redactBody(entry.requestBody, secrets),
    responseHeaders: redactHeaders(entry.responseHeaders, secrets),
    responseBody: redactBody(entry.responseBody, secrets),
    ...(entry.error ? { error: redactText(entry.error, secrets) } : {}),
  }
}

function coverage(cases: CaseResult[], requirements: readonly Requirement[], areas: RequirementArea[]): CoverageRow[] {
  return requirements
    .filter((requirement) => areas.includes(requirement.area))
    .map((requirement) => {
      const mine = cases.filter((result) => result.requirements.includes(requirement.id))
      const statuses = new Set<RequirementStatus>(mine.map((result) => result.status))
      const status = REQUIREMENT_ORDER.find((candidate) => statuses.has(candidate)) ?? 'no_case'
      return {
        id: requirement.id,
        level: requirement.level,
        area: requirement.area,
        title: requirement.title,
        status,
        cases: mine.map((result) => result.id),
      }
    })
}

