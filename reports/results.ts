// The results model every report is written from: each case's status from its vitest
// outcome, its requirement IDs and levels, the requirements its failure is credited to
// (its own assertions fail its own requirements — or the narrower set the case named —,
// a response that broke the contract fails ERR-017), the expected-failures list and
// --strict; the coverage matrix (requirement → cases → status); the run's verdict
// (passed, failed, or incomplete when MUST cases were not verified) and exit code.
// Secrets are redacted here, once, before any reporter sees a transcript or a message.
import type { Requirement, RequirementArea, RequirementLevel } from '../openapi/contract.ts'
import { caseId, requirementIds, suiteTopic } from '../suites/harness/case-ids.ts'
import type { ContractViolation, TranscriptEntry, Verdict } from '../suites/harness/case-context.ts'
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
  /** Responses that broke the contract (ERR-017); the case's own verdict is `state`. */
  contractViolations: ContractViolation[]
  /** The case credited its failure to these of its requirements only. */
  failedRequirements?: string[]
  /** The set-up (a beforeAll) whose failure kept this case from running. */
  setupFailure?: SetupFailure
  transcript: TranscriptEntry[]
  /** Secret values the case handled (never written; used to blank them). */
  secrets?: string[]
  durationMs: number
}

export interface SetupFailure {
  /** Whose set-up: 'the file' or the describe block's name. */
  scope: string
  /** The error, first line first. */
  error: string
}

export type CaseStatus = 'passed' | 'failed' | 'warning' | 'expected_failure' | 'not_verified' | 'not_applicable'
export type RequirementStatus = CaseStatus | 'no_case'

export interface CaseResult {
  id: string
  file: string
  name: string
  fullName: string
  area: string
  /** The IDs the case's name carries, plus ERR-017 when a response broke the contract. */
  requirements: string[]
  /** When it failed (failed, warning, expected failure): the requirements that failed. */
  failedRequirements?: string[]
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
  /** Not applicable: why, as its cases said (distinct reasons; under a profile, what the profile lacks). */
  notApplicable?: string[]
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
  /** --allow-unverified: MUST cases that were not verified do not make the run incomplete. */
  allowUnverified: boolean
  /** Test data the run could not remove (reported, not a verdict on the target). */
  cleanupProblems: string[]
  /** The wire format the target was verified in, when it is not the contract's own (--profile). */
  profile?: { name: string; title: string }
}

export type RunVerdict = 'passed' | 'failed' | 'incomplete'

/** verify's exit codes; 2 is a usage or configuration error (cli/usage-error.ts). */
export const EXIT_CODES = { passed: 0, failed: 1, incomplete: 3 } as const satisfies Record<RunVerdict, number>

/** The applicable MUST cases that were not verified, by reason. */
export interface Unverified {
  count: number
  reasons: Array<{ reason: string; cases: number }>
}

export interface RunResults {
  run: RunInfo
  verdict: RunVerdict
  exitCode: (typeof EXIT_CODES)[RunVerdict]
  counts: Record<CaseStatus, number>
  unverified: Unverified
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
  const unverified = unverifiedMust(cases)
  const verdict: RunVerdict = failed ? 'failed' : unverified.count > 0 && !input.run.allowUnverified ? 'incomplete' : 'passed'
  const redact = (text: string) => redactText(text, input.secrets)
  return {
    run: { ...input.run, unhandledErrors: input.run.unhandledErrors.map(redact), cleanupProblems: input.run.cleanupProblems.map(redact) },
    verdict,
    exitCode: EXIT_CODES[verdict],
    counts,
    unverified,
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
  const violated = outcome.contractViolations.length > 0
  // A contract violation is an ERR-017 failure whatever else the case checks.
  const requirements = violated && !ids.includes('ERR-017') ? [...ids, 'ERR-017'] : ids
  const failing = outcome.state === 'failed' || violated
  const failedRequirements = failing ? creditedRequirements(outcome, ids, violated) : []
  // Only a case that names nothing but SHOULDs is a SHOULD; an unnamed one (a file that
  // failed to load) counts as a MUST.
  const isShould = (named: string[]) => named.length > 0 && named.every((id) => levels.get(id) === 'SHOULD')
  const level: RequirementLevel = isShould(requirements) ? 'SHOULD' : 'MUST'
  const status: CaseStatus = failing ? (isShould(failedRequirements) ? 'warning' : 'failed') : quietStatus(outcome)
  const message =
    failing ? failureMessage(outcome)
    : status === 'not_verified' || status === 'not_applicable' ? (outcome.reason ?? reasonWithoutVerdict(outcome, input.run))
    : undefined
  const transcript = outcome.state === 'failed' ? outcome.transcript : outcome.contractViolations.map((violation) => violation.exchange)
  return {
    id: caseId(outcome.file, outcome.fullName),
    file: outcome.file,
    name: outcome.name,
    fullName: outcome.fullName,
    area: suiteTopic(outcome.file).split('/')[0] ?? '',
    requirements,
    ...(failing ? { failedRequirements } : {}),
    level,
    status,
    durationMs: Math.round(outcome.durationMs),
    ...(message ? { message: redacted(message) } : {}),
    ...(failing ? { transcript: transcript.map((entry) => redactEntry(entry, secrets)) } : {}),
  }
}

/**
 * The requirements a failing case failed: its own assertions fail the IDs its name carries
 * (or those of them it credited the failure to), a broken contract fails ERR-017.
 */
function creditedRequirements(outcome: CaseOutcome, ids: string[], violated: boolean): string[] {
  const credited = outcome.failedRequirements?.filter((id) => ids.includes(id)) ?? []
  const own = outcome.state !== 'failed' ? [] : credited.length > 0 ? credited : ids
  return violated && !own.includes('ERR-017') ? [...own, 'ERR-017'] : own
}

function quietStatus(outcome: CaseOutcome): CaseStatus {
  return outcome.state === 'passed' ? 'passed' : (outcome.verdict ?? 'not_verified')
}

function failureMessage(outcome: CaseOutcome): string {
  const violations = outcome.contractViolations.map(
    (violation) => `ERR-017 contract violation in ${violation.operation}:\n  ${violation.violations.join('\n  ')}`,
  )
  return [...(outcome.state === 'failed' ? outcome.errors : []), ...violations].join('\n\n')
}

/** The applicable MUST cases that were not verified, grouped by their reason. */
function unverifiedMust(cases: CaseResult[]): Unverified {
  const byReason = new Map<string, number>()
  const unverified = cases.filter((result) => result.status === 'not_verified' && result.level === 'MUST')
  for (const result of unverified) byReason.set(result.message ?? '', (byReason.get(result.message ?? '') ?? 0) + 1)
  const reasons = [...byReason].map(([reason, count]) => ({ reason, cases: count })).sort((a, b) => b.cases - a.cases)
  return { count: unverified.length, reasons }
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
      const statuses = new Set<RequirementStatus>(mine.map((result) => statusFor(result, requirement.id)))
      const status = REQUIREMENT_ORDER.find((candidate) => statuses.has(candidate)) ?? 'no_case'
      // Reasons that name the requirement itself (its own assumption) first.
      const own = (reason: string) => (reason.startsWith(`${requirement.id} `) ? 0 : 1)
      const reasons = status === 'not_applicable' ? [...new Set(mine.flatMap((result) => (result.message ? [result.message] : [])))].sort((a, b) => own(a) - own(b)) : []
      return {
        id: requirement.id,
        level: requirement.level,
        area: requirement.area,
        title: requirement.title,
        status,
        cases: mine.map((result) => result.id),
        ...(reasons.length > 0 && { notApplicable: reasons }),
      }
    })
}


/** A case's status as far as one of its requirements goes: a failure counts only for the requirements it failed. */
function statusFor(result: CaseResult, id: string): RequirementStatus {
  if (result.failedRequirements === undefined || result.failedRequirements.length === 0) return result.status
  return result.failedRequirements.includes(id) ? result.status : 'passed'
}
