// summary.md: short enough for a CI step summary ($GITHUB_STEP_SUMMARY): the verdict,
// the counts, what failed and why, what was not verified and why, stale expected
// failures, clean-up problems, and the coverage matrix.
import { CASE_STATUSES, type CaseResult, type RequirementStatus, type RunResults } from './results.ts'

export const STATUS_LABELS: Record<RequirementStatus, string> = {
  passed: 'passed',
  failed: 'failed',
  warning: 'warning',
  expected_failure: 'expected failure',
  not_verified: 'not verified',
  not_applicable: 'not applicable',
  no_case: 'no case',
}

const STATUS_ICONS: Record<RequirementStatus, string> = {
  passed: '✅',
  failed: '❌',
  warning: '⚠️',
  expected_failure: '☑️',
  not_verified: '⏸️',
  not_applicable: '➖',
  no_case: '❔',
}

/** Cap per listed message so one huge diff cannot blow the step summary's size limit. */
const MESSAGE_LIMIT = 600

const VERDICT_HEADINGS = { passed: '✅ passed', failed: '❌ failed', incomplete: '⏸️ incomplete' } as const

export function renderMarkdown(results: RunResults): string {
  const { run } = results
  const lines = [
    `## authconform verify: ${VERDICT_HEADINGS[results.verdict]}`,
    '',
    `Target \`${run.target}\`${run.profile ? ` · profile **${run.profile.name}** (${cell(run.profile.title)})` : ''} · run \`${run.runId}\` · seed ${run.seed} · time strategy **${run.timeStrategy}** (${cell(run.timeReason)}) · ${(run.durationMs / 1000).toFixed(1)} s${run.strict ? ' · strict' : ''}`,
    '',
    ...profileLines(results),
    `| ${CASE_STATUSES.map((status) => `${STATUS_ICONS[status]} ${STATUS_LABELS[status]}`).join(' | ')} |`,
    `| ${CASE_STATUSES.map(() => '---:').join(' | ')} |`,
    `| ${CASE_STATUSES.map((status) => results.counts[status]).join(' | ')} |`,
    '',
  ]
  if (run.budgetExhausted) lines.push('**The run budget ran out**: the cases that did not run are not verified.', '')
  unverifiedSection(lines, results)
  for (const error of run.unhandledErrors) lines.push(`**Error outside any case:** ${cell(error)}`, '')
  section(lines, 'Failures (MUST)', results.cases.filter((result) => result.status === 'failed'))
  section(lines, run.strict ? 'Warnings (SHOULD, failing with --strict)' : 'Warnings (SHOULD)', results.cases.filter((result) => result.status === 'warning'))
  if (results.staleExpectedFailures.length > 0) {
    lines.push('### Stale expected failures', '', 'These entries no longer fail; remove them from the expected-failures list:', '')
    for (const entry of results.staleExpectedFailures) lines.push(`- \`${entry.id}\`: ${entry.reason} (now passing: ${entry.cases.length} case(s))`)
    lines.push('')
  }
  const expected = results.cases.filter((result) => result.status === 'expected_failure')
  if (expected.length > 0) {
    lines.push('### Expected failures', '')
    for (const result of expected) lines.push(`- \`${result.id}\`: ${result.expectedReason}`)
    lines.push('')
  }
  if (run.cleanupProblems.length > 0) {
    lines.push('### Clean-up problems', '', `Data of run \`${run.runId}\` may be left on the target:`, '')
    for (const problem of run.cleanupProblems) lines.push(`- ${cell(problem)}`)
    lines.push('')
  }
  // Under a profile every requirement row says why it is not applicable, when it is not.
  const why = run.profile !== undefined
  lines.push('### Coverage', '', `| Requirement | Level | Status | Cases | Title |${why ? ' Not applicable because |' : ''}`, `| --- | --- | --- | ---: | --- |${why ? ' --- |' : ''}`)
  for (const row of results.coverage) {
    const reason = why ? ` ${cell((row.notApplicable ?? []).join('; '))} |` : ''
    lines.push(`| ${row.id} | ${row.level} | ${STATUS_ICONS[row.status]} ${STATUS_LABELS[row.status]} | ${row.cases.length} | ${cell(row.title)} |${reason}`)
  }
  lines.push('')
  return lines.join('\n')
}

/** Under a profile: how many requirements it leaves not applicable (the coverage table says why). */
export function profileSummary(results: RunResults): string | undefined {
  const { profile } = results.run
  if (!profile) return undefined
  const notApplicable = results.coverage.filter((row) => row.status === 'not_applicable').length
  return `Under profile ${profile.name}, ${notApplicable} of ${results.coverage.length} requirements are not applicable: what the ${profile.title} wire format cannot express, or a behaviour the profile says its system does not have.`
}

function profileLines(results: RunResults): string[] {
  const summary = profileSummary(results)
  return summary ? [`${summary} The coverage table says why, requirement by requirement.`, ''] : []
}

function section(lines: string[], title: string, cases: CaseResult[]): void {
  if (cases.length === 0) return
  lines.push(`### ${title}`, '')
  for (const result of cases) {
    const message = (result.message ?? '').slice(0, MESSAGE_LIMIT)
    lines.push(`- **${cell(result.id)}** (${failedOf(result)})`)
    if (message) lines.push('', '  ```text', ...message.split('\n').map((line) => `  ${line.replaceAll('```', "'''")}`), '  ```')
  }
  lines.push('')
}

/** The requirements a failure is credited to, and those the case checks beside them. */
function failedOf(result: CaseResult): string {
  const failed = result.failedRequirements ?? []
  if (failed.length === 0) return result.requirements.join(', ') || 'no requirement ID'
  const held = result.requirements.filter((id) => !failed.includes(id))
  return `failed ${failed.join(', ')}${held.length > 0 ? `; held ${held.join(', ')}` : ''}`
}

/** Why a run without failures is incomplete (or passed only by --allow-unverified). */
function unverifiedSection(lines: string[], results: RunResults): void {
  const { unverified } = results
  if (unverified.count === 0) return
  const allowed = results.run.allowUnverified ? ' — accepted by `--allow-unverified`' : ''
  lines.push(`### Not verified (MUST): ${unverified.count}${allowed}`, '', '| Cases | Reason |', '| ---: | --- |')
  for (const { reason, cases } of unverified.reasons) lines.push(`| ${cases} | ${cell(reason)} |`)
  lines.push('')
}

/** Text safe inside a table cell or a single line. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|')
}
