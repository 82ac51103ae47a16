// The console face of a run: one line per finished case while it runs (a set-up failure
// once, with its cause, above the cases it took down), then a table per area, the
// failures with their first lines, what was not verified, and the clean-up problems last.
import { profileSummary, STATUS_LABELS } from './report-markdown.ts'
import { CASE_STATUSES, type CaseOutcome, type RunResults } from './results.ts'

const MARKS: Record<CaseOutcome['state'], string> = { passed: '✓', failed: '✗', skipped: '-', pending: '…' }
const VERDICT_WORDS = { passed: 'PASSED', failed: 'FAILED', incomplete: 'INCOMPLETE' } as const

function topicOf(outcome: CaseOutcome): string {
  return outcome.file.replace(/^suites\//, '').replace(/\.suite\.ts$/, '')
}

export function progressLine(outcome: CaseOutcome): string {
  const violation = outcome.contractViolations[0]
  const mark = violation ? MARKS.failed : outcome.state === 'skipped' ? (outcome.verdict === 'not_applicable' ? '∅' : '-') : MARKS[outcome.state]
  const note =
    outcome.state === 'skipped' && outcome.reason ? ` — ${outcome.reason}`
    : violation ? ` — ERR-017 ${violation.violations[0]}${outcome.contractViolations.length > 1 ? ` (and ${outcome.contractViolations.length - 1} more)` : ''}`
    : ''
  return `  ${mark} ${topicOf(outcome)} › ${outcome.name} (${Math.round(outcome.durationMs)} ms)${note}`
}

/**
 * Progress lines for the cases as they finish. A failed set-up is printed once, with its
 * cause, just above the first case it took down; those cases then say so in a few words,
 * and the file's own failure entry is not repeated.
 */
export function progressPrinter(write: (line: string) => void): (outcome: CaseOutcome) => void {
  const shown = new Set<string>()
  return (outcome) => {
    const failure = outcome.setupFailure
    if (failure) {
      const key = `${outcome.file}\u0000${failure.error}`
      if (!shown.has(key)) {
        shown.add(key)
        write(`  ✗ ${topicOf(outcome)} › set-up of ${failure.scope} failed: ${indent(failure.error)}`)
      }
      write(`  - ${topicOf(outcome)} › ${outcome.name} — not run: its set-up failed (above)`)
      return
    }
    // The file's failure entry repeats set-up failures already shown above their cases.
    if (outcome.state === 'failed' && outcome.errors.length > 0 && outcome.errors.every((error) => shown.has(`${outcome.file}\u0000${error}`))) return
    write(progressLine(outcome))
  }
}

function indent(text: string): string {
  return text.trimEnd().replaceAll('\n', '\n      ')
}

export function finalTable(results: RunResults, reportDir: string): string {
  const areas = [...new Set(results.cases.map((result) => result.area))].sort()
  const header = ['area', ...CASE_STATUSES.map((status) => STATUS_LABELS[status])]
  const rows = areas.map((area) => {
    const mine = results.cases.filter((result) => result.area === area)
    return [area, ...CASE_STATUSES.map((status) => String(mine.filter((result) => result.status === status).length))]
  })
  rows.push(['total', ...CASE_STATUSES.map((status) => String(results.counts[status]))])
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)))
  const format = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')
  const lines = ['', format(header), widths.map((width) => '─'.repeat(width)).join('  '), ...rows.map(format), '']
  for (const result of results.cases.filter((candidate) => candidate.status === 'failed' || candidate.status === 'warning')) {
    const failed = result.failedRequirements?.length ? ` [${result.failedRequirements.join(' ')}]` : ''
    lines.push(`${result.status === 'failed' ? '✗' : '⚠'} ${result.id}${failed}`, `    ${(result.message ?? '').split('\n')[0]}`)
  }
  for (const entry of results.staleExpectedFailures) lines.push(`✗ stale expected failure ${entry.id}: passes now`)
  if (results.run.budgetExhausted) lines.push('✗ the run budget (--budget) ran out: the cases that did not run are not verified')
  for (const error of results.run.unhandledErrors) lines.push(`✗ error outside any case: ${error.split('\n')[0]}`)
  const underProfile = profileSummary(results)
  if (underProfile) lines.push(`${underProfile} (why: summary.md, report.html)`)
  const uncovered = results.coverage.filter((row) => row.status === 'no_case').length
  if (uncovered > 0) lines.push(`${uncovered} requirement(s) of the selected areas have no case`)
  lines.push(...unverifiedLines(results))
  if (results.run.cleanupProblems.length > 0) {
    lines.push('', `Clean-up: ${results.run.cleanupProblems.length} problem(s); data of run ${results.run.runId} may be left on the target:`)
    for (const problem of results.run.cleanupProblems) lines.push(`  ${problem.split('\n')[0]}`)
  }
  lines.push('', `${VERDICT_WORDS[results.verdict]}${verdictNote(results)} — reports in ${reportDir}/ (results.json, junit.xml, summary.md, report.html, coverage.json)`, '')
  return lines.join('\n')
}

/** The MUST cases that were not verified, by reason (they make a run without failures INCOMPLETE). */
function unverifiedLines(results: RunResults): string[] {
  const { unverified } = results
  if (unverified.count === 0) return []
  const lines = ['', `${unverified.count} MUST case(s) not verified:`]
  for (const { reason, cases } of unverified.reasons) lines.push(`  ${String(cases).padStart(3)} × ${reason.split('\n')[0]}`)
  return lines
}

function verdictNote(results: RunResults): string {
  const { count } = results.unverified
  if (results.verdict === 'incomplete') return ` (${count} MUST case(s) not verified; --allow-unverified accepts that)`
  if (results.verdict === 'passed' && count > 0) return ` (${count} MUST case(s) not verified, allowed by --allow-unverified)`
  return ''
}
