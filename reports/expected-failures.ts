// Known failures a team has accepted for now: a YAML or JSON list of {id, reason}, where
// id is a requirement ID ('AUTH-008'), a case id ('auth/refresh:…') or a test name. A
// listed failure is reported as *expected* and does not fail the run; an entry whose
// cases all pass now is *stale* and does fail it, so the list cannot silently rot.
import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { UsageError } from '../errors/usage-error.ts'
import { REQUIREMENT_ID } from '../suites/harness/case-ids.ts'
import type { CaseResult } from './results.ts'

export interface ExpectedFailure {
  id: string
  reason: string
}

export interface StaleEntry extends ExpectedFailure {
  /** The cases the entry matched, all of which passed. */
  cases: string[]
}

/** Reads and validates the list; `knownRequirements` catches typos in requirement IDs. */
export function loadExpectedFailures(file: string, knownRequirements: ReadonlySet<string>): ExpectedFailure[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new UsageError(`--expected-failures: cannot read ${file}`)
  }
  let parsed: unknown
  try {
    parsed = parseYaml(text)
  } catch (error) {
    throw new UsageError(`--expected-failures: ${file} is not valid YAML/JSON (${String(error).split('\n')[0]})`)
  }
  return parseExpectedFailures(parsed, file, knownRequirements)
}

export function parseExpectedFailures(parsed: unknown, file: string, knownRequirements: ReadonlySet<string>): ExpectedFailure[] {
  const list = parsed === null || parsed === undefined ? [] : parsed
  if (!Array.isArray(list)) throw new UsageError(`--expected-failures: ${file} must be a list of {id, reason}`)
  return list.map((entry, index) => {
    const where = `--expected-failures: ${file} entry ${index + 1}`
    if (typeof entry !== 'object' || entry === null) throw new UsageError(`${where} must be {id, reason}`)
    const { id, reason } = entry as Record<string, unknown>
    if (typeof id !== 'string' || id.trim() === '') throw new UsageError(`${where} has no id`)
    if (typeof reason !== 'string' || reason.trim() === '') throw new UsageError(`${where} (${id}) needs a reason`)
    if (REQUIREMENT_ID.test(id) && !knownRequirements.has(id)) throw new UsageError(`${where}: unknown requirement ${id}`)
    return { id, reason }
  })
}

/** By case id or name, or by requirement: one the case failed (when it failed), else one it checks. */
export function matches(entry: ExpectedFailure, result: CaseResult): boolean {
  const requirements = result.failedRequirements ?? result.requirements
  return entry.id === result.id || entry.id === result.name || entry.id === result.fullName || requirements.includes(entry.id)
}

export function applyExpectedFailures(cases: CaseResult[], entries: ExpectedFailure[]): { cases: CaseResult[]; stale: StaleEntry[] } {
  const updated = cases.map((result) => {
    if (result.status !== 'failed' && result.status !== 'warning') return result
    const entry = entries.find((candidate) => matches(candidate, result))
    return entry ? { ...result, status: 'expected_failure' as const, expectedReason: entry.reason } : result
  })
  const stale = entries.flatMap((entry) => {
    const matched = updated.filter((result) => matches(entry, result))
    const ran = matched.filter((result) => result.status === 'passed' || result.status === 'expected_failure')
    const stillFails = matched.some((result) => result.status === 'expected_failure')
    return ran.length > 0 && !stillFails ? [{ ...entry, cases: ran.map((result) => result.id) }] : []
  })
  return { cases: updated, stale }
}
