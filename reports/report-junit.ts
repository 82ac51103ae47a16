// junit.xml for CI test tabs: one testsuite per suite file, one testcase per case.
// Failed MUSTs are <failure>; not verified, not applicable and expected failures are
// <skipped> with the reason; warnings (failed SHOULDs) are failures only with --strict.
// Under a profile, one more testsuite lists the requirements not applicable under it, each
// a skipped testcase saying why.
import type { CaseResult, CoverageRow, RunResults } from './results.ts'
import { transcriptText } from './transcript-text.ts'

export function renderJunit(results: RunResults): string {
  const byFile = new Map<string, CaseResult[]>()
  for (const result of results.cases) byFile.set(result.file, [...(byFile.get(result.file) ?? []), result])
  const suites = [...byFile.entries()].map(([file, cases]) => testSuite(file, cases, results.run.strict))
  const notApplicable = results.run.profile ? results.coverage.filter((row) => row.status === 'not_applicable') : []
  const failures = results.cases.filter((result) => isFailure(result, results.run.strict)).length
  const skipped = results.cases.filter(isSkipped).length + notApplicable.length
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="authconform" tests="${results.cases.length + notApplicable.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(results.run.durationMs)}">`,
    ...suites,
    ...(results.run.profile && notApplicable.length > 0 ? [profileSuite(results.run.profile.name, notApplicable)] : []),
    '</testsuites>',
    '',
  ].join('\n')
}

function testSuite(file: string, cases: CaseResult[], strict: boolean): string {
  const failures = cases.filter((result) => isFailure(result, strict)).length
  const skipped = cases.filter(isSkipped).length
  const time = seconds(cases.reduce((sum, result) => sum + result.durationMs, 0))
  return [
    `  <testsuite name="${xml(file)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}">`,
    ...cases.map((result) => testCase(result, strict)),
    '  </testsuite>',
  ].join('\n')
}

function profileSuite(profile: string, rows: CoverageRow[]): string {
  const name = `requirements not applicable under profile ${profile}`
  return [
    `  <testsuite name="${xml(name)}" tests="${rows.length}" failures="0" errors="0" skipped="${rows.length}" time="0.000">`,
    `    <properties><property name="profile" value="${xml(profile)}"/></properties>`,
    ...rows.map((row) =>
      [
        `    <testcase classname="${xml(`profile ${profile}`)}" name="${xml(`${row.id} ${row.title}`)}" time="0.000">`,
        `      <skipped message="${xml(`not applicable: ${(row.notApplicable ?? []).join('; ')}`)}"/>`,
        '    </testcase>',
      ].join('\n'),
    ),
    '  </testsuite>',
  ].join('\n')
}

function testCase(result: CaseResult, strict: boolean): string {
  const open = `    <testcase classname="${xml(result.file)}" name="${xml(result.fullName)}" time="${seconds(result.durationMs)}">`
  const failed = result.failedRequirements?.length ? `<property name="failed-requirements" value="${xml(result.failedRequirements.join(' '))}"/>` : ''
  const properties = `      <properties><property name="requirements" value="${xml(result.requirements.join(' '))}"/>${failed}<property name="status" value="${result.status}"/></properties>`
  const detail = [result.message ?? '', transcriptText(result.transcript ?? [])].filter(Boolean).join('\n\n')
  const firstLine = (result.message ?? '').split('\n')[0] ?? ''
  let body = ''
  if (isFailure(result, strict)) {
    body = `      <failure message="${xml(firstLine)}" type="${result.level}">${xml(detail)}</failure>`
  } else if (isSkipped(result)) {
    const why = result.status === 'expected_failure' ? `expected failure: ${result.expectedReason}` : `${result.status.replace('_', ' ')}: ${firstLine}`
    body = `      <skipped message="${xml(why)}"/>`
  } else if (result.status === 'warning') {
    body = `      <system-out>${xml(`WARNING (SHOULD failed): ${detail}`)}</system-out>`
  }
  return [open, properties, body, '    </testcase>'].filter(Boolean).join('\n')
}

function isFailure(result: CaseResult, strict: boolean): boolean {
  return result.status === 'failed' || (strict && result.status === 'warning')
}

function isSkipped(result: CaseResult): boolean {
  return result.status === 'not_verified' || result.status === 'not_applicable' || result.status === 'expected_failure'
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3)
}

/** Escapes text for XML content and attributes, dropping characters XML 1.0 forbids. */
export function xml(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}
