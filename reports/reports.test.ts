import { describe, expect, it } from 'vitest'
import { renderHtml } from './report-html.ts'
import { renderCoverageJson, renderJson } from './report-json.ts'
import { renderJunit } from './report-junit.ts'
import { renderMarkdown } from './report-markdown.ts'
import { finalTable } from './report-console.ts'
import { SAMPLE_OUTCOMES, SECRETS, sampleResults } from './sample-results.ts'

const results = sampleResults()
const renderers = [
  ['results.json', () => renderJson(results)],
  ['coverage.json', () => renderCoverageJson(results)],
  ['junit.xml', () => renderJunit(results)],
  ['summary.md', () => renderMarkdown(results)],
  ['report.html', () => renderHtml(results)],
  ['console table', () => finalTable(results, 'reports')],
] as const

describe('the results model', () => {
  it.each([
    ['AUTH-001 a key exchanges for tokens', 'passed', 'MUST'],
    ['AUTH-008 a reused refresh token revokes the session', 'failed', 'MUST'],
    ['AUTH-014 token responses are not cached', 'warning', 'SHOULD'],
    ['AUTH-013 ApiKey scheme works', 'not_applicable', 'MUST'],
    ['AUTH-004 an access token expires', 'not_verified', 'MUST'],
    ['KEY-001 a key is listed without secret', 'expected_failure', 'MUST'],
  ])('%s → %s (%s)', (name, status, level) => {
    const result = results.cases.find((candidate) => candidate.name === name)!
    expect(result.status).toBe(status)
    expect(result.level).toBe(level)
  })

  it('adds ERR-017 to a case that broke the contract', () => {
    expect(results.cases.find((candidate) => candidate.name.startsWith('KEY-001'))!.requirements).toEqual(['KEY-001', 'ERR-017'])
  })

  it.each([
    ['AUTH-001', 'passed'],
    ['AUTH-008', 'failed'],
    ['AUTH-014', 'warning'],
    ['AUTH-013', 'not_applicable'],
    ['AUTH-004', 'not_verified'],
    ['KEY-001', 'expected_failure'],
    ['KEY-002', 'no_case'],
    ['ERR-017', 'expected_failure'],
  ])('coverage: %s is %s', (id, status) => {
    expect(results.coverage.find((row) => row.id === id)?.status).toBe(status)
  })

  it('fails the run on a MUST failure and on a stale expected failure', () => {
    expect(results.verdict).toBe('failed')
    expect(results.staleExpectedFailures.map((entry) => entry.id)).toEqual(['AUTH-001'])
    const onlyStale = sampleResults({ outcomes: SAMPLE_OUTCOMES.filter((outcome) => outcome.state !== 'failed') })
    expect(onlyStale.counts.failed).toBe(0)
    expect(onlyStale.exitCode).toBe(1)
  })

  it('uses the secrets a case handled to blank them in free text', () => {
    const [failing] = SAMPLE_OUTCOMES.filter((outcome) => outcome.state === 'failed')
    const leaked = { ...failing!, errors: ['expected "opaque-refresh-9f8e7d6c" not to work'], secrets: ['opaque-refresh-9f8e7d6c'] }
    const output = renderJson(sampleResults({ outcomes: [leaked] }))
    expect(output).not.toContain('opaque-refresh-9f8e7d6c')
    expect(output).not.toContain('"secrets"')
  })

  it('passes with only warnings unless --strict, and fails on a budget overrun', () => {
    const onlyWarning = (strict: boolean, budgetExhausted = false) =>
      sampleResults({
        expected: [],
        run: { strict, budgetExhausted },
        outcomes: [
          { file: 'suites/auth/t.suite.ts', fullName: 'AUTH-014 x', name: 'AUTH-014 x', state: 'failed', errors: ['no'], contractViolation: false, transcript: [], durationMs: 1 },
          { file: 'suites/auth/t.suite.ts', fullName: 'AUTH-001 y', name: 'AUTH-001 y', state: 'passed', errors: [], contractViolation: false, transcript: [], durationMs: 1 },
        ],
      })
    expect(onlyWarning(false).exitCode).toBe(0)
    expect(onlyWarning(true).exitCode).toBe(1)
    expect(onlyWarning(false, true).exitCode).toBe(1)
  })
})

describe.each(renderers)('%s', (_, render) => {
  const output = render()

  it.each(Object.entries(SECRETS))('never contains the %s', (_, secret) => {
    expect(output).not.toContain(secret)
  })

  it('shows the failing case and the stale expected failure', () => {
    expect(output).toContain('AUTH-008')
    expect(output).toContain('AUTH-001')
  })
})

describe('format details', () => {
  it('junit: failures, skips and a well-formed document', () => {
    const xml = renderJunit(results)
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/)
    expect(xml).toContain('<testsuites name="authconform" tests="6" failures="1" errors="0" skipped="3"')
    expect(xml).toMatch(/<failure message="expected 401 to be 200 \(token \[redacted\]\)" type="MUST">/)
    expect(xml).toContain('<skipped message="expected failure: tracked in issue 12"/>')
    expect(xml).not.toMatch(/<(?!\/?(testsuites|testsuite|testcase|properties|property|failure|skipped|system-out)\b|\?xml)/)
  })

  it('junit: --strict turns warnings into failures', () => {
    expect(renderJunit(sampleResults({ run: { strict: true } }))).toContain('failures="2"')
  })

  it('markdown: verdict, failures, stale entries and the matrix', () => {
    const markdown = renderMarkdown(results)
    expect(markdown).toContain('## authconform verify: ❌ failed')
    expect(markdown).toContain('### Failures (MUST)')
    expect(markdown).toContain('### Stale expected failures')
    expect(markdown).toContain('`AUTH-001`: fixed long ago')
    expect(markdown).toContain('| KEY-002 | MUST | ❔ no case | 0 | Uncovered |')
  })

  it('html: self-contained, escaped, failing cases open with their transcript', () => {
    const html = renderHtml(results)
    expect(html).not.toMatch(/<(link|img|iframe)\b|\bsrc=|https?:\/\/(?!127\.0\.0\.1)/)
    expect(html).toContain("default-src 'none'")
    expect(html).toContain('Reuse revokes &lt;session&gt;')
    expect(html).not.toContain('<script>"')
    expect(html).toMatch(/<details class="case" id="case-2" data-status="failed" open>/)
    expect(html).toContain('POST http://127.0.0.1:4010/v1/auth/token')
  })

  it('json: machine-readable and complete', () => {
    const parsed = JSON.parse(renderJson(results))
    expect(parsed.cases).toHaveLength(6)
    expect(parsed.cases[1]).toMatchObject({ requirements: ['AUTH-008'], level: 'MUST', status: 'failed' })
    expect(parsed.cases[1].transcript[0].requestHeaders.authorization).toBe('Bearer [redacted]')
    expect(JSON.parse(renderCoverageJson(results)).coverage).toHaveLength(8)
  })
})
