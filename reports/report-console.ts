// The console face of a run: one line per finished case while it runs, then a table
// per area and the failures with their first lines.
import { STATUS_LABELS } from './report-markdown.ts'
import { CASE_STATUSES, type CaseOutcome, type RunResults } from './results.ts'

const MARKS: Record<CaseOutcome['state'], string> = { passed: '✓', failed: '✗', skipped: '-', pending: '…' }

export function progressLine(outcome: CaseOutcome): string {
  const mark = outcome.state === 'skipped' ? (outcome.verdict === 'not_applicable' ? '∅' : '-') : MARKS[outcome.state]
  const topic = outcome.file.replace(/^suites\//, '').replace(/\.suite\.ts$/, '')
  const note = outcome.state === 'skipped' && outcome.reason ? ` — ${outcome.reason}` : ''
  return `  ${mark} ${topic} › ${outcome.name} (${Math.round(outcome.durationMs)} ms)${note}`
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
    lines.push(`${result.status === 'failed' ? '✗' : '⚠'} ${result.id}`, `    ${(result.message ?? '').split('\n')[0]}`)
  }
  for (const entry of results.staleExpectedFailures) lines.push(`✗ stale expected failure ${entry.id}: passes now`)
  if (results.run.budgetExhausted) lines.push('✗ the run budget (--budget) ran out: the cases that did not run are not verified')
  for (const error of results.run.unhandledErrors) lines.push(`✗ error outside any case: ${error.split('\n')[0]}`)
  const uncovered = results.coverage.filter((row) => row.status === 'no_case').length
  if (uncovered > 0) lines.push(`${uncovered} requirement(s) of the selected areas have no case`)
  lines.push('', `${results.verdict === 'passed' ? 'PASSED' : 'FAILED'} — reports in ${reportDir}/ (results.json, junit.xml, summary.md, report.html, coverage.json)`, '')
  return lines.join('\n')
}
