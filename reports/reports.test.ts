import { describe, expect, it } from 'vitest'
import { renderHtml } from './report-html.ts'
import { renderCoverageJson, renderJson } from './report-json.ts'
import { renderJunit } from './report-junit.ts'
import { renderMarkdown } from './report-markdown.ts'
import { finalTable } from './report-console.ts'
import type { CaseOutcome } from './results.ts'
import { SAMPLE_OUTCOMES, SECRETS, outcome, sampleResults } from './sample-results.ts'

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
    ['AUTH-002 every exchange opens a session', 'failed', 'MUST'],
  ])('%s → %s (%s)', (name, status, level) => {
    const result = results.cases.find((candidate) => candidate.name === name)!
    expect(result.status).toBe(status)
    expect(result.level).toBe(level)
  })

  it('credits a contract violation to ERR-017 alone when the case’s own assertions held', () => {
    const result = results.cases.find((candidate) => candidate.name.startsWith('AUTH-002'))!
    expect(result).toMatchObject({ requirements: ['AUTH-002', 'ERR-017'], failedRequirements: ['ERR-017'], status: 'failed' })
    expect(result.message).toContain("ERR-017 contract violation in exchangeToken:\n  POST /v1/auth/token → 200: header RateLimit-Remaining")
    expect(result.transcript, 'the offending exchange').toHaveLength(1)
    expect(result.transcript![0]!.responseBody).not.toContain(SECRETS.jwt)
  })

  it('credits a case’s own failure to its requirements, or to those it named, plus ERR-017 for a violation', () => {
    const failing = (extra: Partial<CaseOutcome>) => sampleResults({ outcomes: [outcome('PERM-010 PERM-017 AUTH-001 x', 'failed', extra)], expected: [] }).cases[0]!
    expect(failing({}).failedRequirements).toEqual(['PERM-010', 'PERM-017', 'AUTH-001'])
    expect(failing({ failedRequirements: ['PERM-017'] }).failedRequirements).toEqual(['PERM-017'])
    // A credited ID the name does not carry cannot narrow the failure to nothing.
    expect(failing({ failedRequirements: ['PERM-004'] }).failedRequirements).toEqual(['PERM-010', 'PERM-017', 'AUTH-001'])
    const violation = SAMPLE_OUTCOMES.at(-1)!.contractViolations
    expect(failing({ failedRequirements: ['PERM-017'], contractViolations: violation }).failedRequirements).toEqual(['PERM-017', 'ERR-017'])
  })

  it('a SHOULD case whose response broke the contract fails the MUST ERR-017', () => {
    const [result] = sampleResults({ expected: [], outcomes: [outcome('AUTH-014 no-store', 'passed', { contractViolations: SAMPLE_OUTCOMES.at(-1)!.contractViolations })] }).cases
    expect(result).toMatchObject({ status: 'failed', failedRequirements: ['ERR-017'] })
  })

  it.each([
    ['AUTH-001', 'passed'],
    ['AUTH-008', 'failed'],
    ['AUTH-014', 'warning'],
    ['AUTH-013', 'not_applicable'],
    ['AUTH-004', 'not_verified'],
    ['KEY-001', 'expected_failure'],
    ['KEY-002', 'no_case'],
    ['AUTH-002', 'passed'],
    ['ERR-017', 'failed'],
  ])('coverage: %s is %s', (id, status) => {
    expect(results.coverage.find((row) => row.id === id)?.status).toBe(status)
  })

  it('fails the run on a MUST failure and on a stale expected failure', () => {
    expect(results.verdict).toBe('failed')
    expect(results.staleExpectedFailures.map((entry) => entry.id)).toEqual(['AUTH-001'])
    const onlyStale = sampleResults({ outcomes: SAMPLE_OUTCOMES.filter((sample) => sample.state !== 'failed' && sample.contractViolations.length === 0) })
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
          outcome('AUTH-014 x', 'failed', { errors: ['no'] }),
          outcome('AUTH-001 y', 'passed'),
        ],
      })
    expect(onlyWarning(false).exitCode).toBe(0)
    expect(onlyWarning(true).exitCode).toBe(1)
    expect(onlyWarning(false, true).exitCode).toBe(1)
  })

  describe('MUST cases that were not verified', () => {
    const unverifiedRun = (allowUnverified: boolean, extra: CaseOutcome[] = []) =>
      sampleResults({
        expected: [],
        run: { allowUnverified },
        outcomes: [
          outcome('AUTH-001 y', 'passed'),
          outcome('AUTH-004 a', 'skipped', { verdict: 'not_verified', reason: 'needs 3602 s of target time; --time skip' }),
          outcome('AUTH-004 b', 'skipped', { verdict: 'not_verified', reason: 'needs 3602 s of target time; --time skip' }),
          outcome('AUTH-014 c', 'skipped', { verdict: 'not_verified', reason: 'a SHOULD does not count' }),
          outcome('AUTH-013 d', 'skipped', { verdict: 'not_applicable', reason: 'not declared' }),
          ...extra,
        ],
      })

    it('make a run without failures INCOMPLETE, exit 3, with the count and the reasons', () => {
      const results = unverifiedRun(false)
      expect(results).toMatchObject({ verdict: 'incomplete', exitCode: 3 })
      expect(results.unverified).toEqual({ count: 2, reasons: [{ reason: 'needs 3602 s of target time; --time skip', cases: 2 }] })
      const table = finalTable(results, 'reports')
      expect(table).toContain('2 MUST case(s) not verified:\n    2 × needs 3602 s of target time; --time skip')
      expect(table).toContain('INCOMPLETE (2 MUST case(s) not verified; --allow-unverified accepts that)')
      expect(renderMarkdown(results)).toContain('## authconform verify: ⏸️ incomplete')
      expect(renderMarkdown(results)).toContain('| 2 | needs 3602 s of target time; --time skip |')
      expect(renderHtml(results)).toContain('<span class="verdict-incomplete">incomplete</span>')
      expect(renderJunit(results)).toContain('<skipped message="not verified: needs 3602 s of target time; --time skip"/>')
    })

    it('pass with --allow-unverified, and say so', () => {
      const results = unverifiedRun(true)
      expect(results).toMatchObject({ verdict: 'passed', exitCode: 0 })
      expect(finalTable(results, 'reports')).toContain('PASSED (2 MUST case(s) not verified, allowed by --allow-unverified)')
      expect(renderMarkdown(results)).toContain('### Not verified (MUST): 2 — accepted by `--allow-unverified`')
    })

    it('leave a failing run FAILED', () => {
      expect(unverifiedRun(false, [outcome('AUTH-001 z', 'failed', { errors: ['no'] })])).toMatchObject({ verdict: 'failed', exitCode: 1 })
    })
  })

  it('reports clean-up problems at the end, redacted', () => {
    const results = sampleResults({ run: { cleanupProblems: [`auth/tokens: cleanup DELETE /v1/keys/{id} answered 500 (${SECRETS.adminSecret})`] } })
    const table = finalTable(results, 'reports')
    expect(table).toMatch(/Clean-up: 1 problem\(s\); data of run r1abc may be left on the target:\n  auth\/tokens: cleanup DELETE .* answered 500 \(\[redacted\]\)\n\nFAILED/)
    expect(renderMarkdown(results)).toContain('### Clean-up problems')
    expect(renderHtml(results)).toContain('<h2>Clean-up problems</h2>')
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
    expect(xml).toContain('<testsuites name="authconform" tests="7" failures="2" errors="0" skipped="3"')
    expect(xml).toMatch(/<failure message="expected 401 to be 200 \(token \[redacted\]\)" type="MUST">/)
    expect(xml).toContain('<skipped message="expected failure: tracked in issue 12"/>')
    expect(xml).not.toMatch(/<(?!\/?(testsuites|testsuite|testcase|properties|property|failure|skipped|system-out)\b|\?xml)/)
  })

  it('junit: --strict turns warnings into failures', () => {
    expect(renderJunit(sampleResults({ run: { strict: true } }))).toContain('failures="3"')
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
    expect(parsed.cases).toHaveLength(7)
    expect(parsed.cases[1]).toMatchObject({ requirements: ['AUTH-008'], level: 'MUST', status: 'failed' })
    expect(parsed.cases[1].transcript[0].requestHeaders.authorization).toBe('Bearer [redacted]')
    expect(JSON.parse(renderCoverageJson(results)).coverage).toHaveLength(9)
  })
})

describe('under a profile', () => {
  const reason = 'profile machinable lacks exchangeToken: API keys are used directly'
  const underProfile = sampleResults({
    run: { profile: { name: 'machinable', title: 'Machinable' } },
    outcomes: [...SAMPLE_OUTCOMES, outcome('AUTH-001 exchange works', 'skipped', { verdict: 'not_applicable', reason })],
  })

  it('the coverage row of a requirement that is not applicable says why', () => {
    expect(underProfile.coverage.find((row) => row.id === 'AUTH-013')?.notApplicable).toEqual(['feature apikey_scheme not listed'])
    expect(underProfile.coverage.find((row) => row.id === 'KEY-001')?.notApplicable).toBeUndefined()
    expect(JSON.parse(renderJson(underProfile)).run.profile).toEqual({ name: 'machinable', title: 'Machinable' })
  })

  it.each([
    ['summary.md', () => renderMarkdown(underProfile), ['· profile **machinable** (Machinable)', '| Not applicable because |', '| AUTH-013 | MUST | ➖ not applicable | 1 | ApiKey scheme | feature apikey_scheme not listed |']],
    ['report.html', () => renderHtml(underProfile), ['profile <b>machinable</b> (Machinable)', '<th>Not applicable because</th>', '<td>feature apikey_scheme not listed</td>']],
    ['junit.xml', () => renderJunit(underProfile), ['<testsuite name="requirements not applicable under profile machinable"', '<skipped message="not applicable: feature apikey_scheme not listed"/>']],
    ['console table', () => finalTable(underProfile, 'reports'), ['Under profile machinable, 1 of 9 requirements are not applicable']],
  ])('%s names the profile in its header and says per requirement why it is not applicable', (_format, render, expected) => {
    const text = render()
    for (const part of expected) expect(text).toContain(part)
  })

  it('the reports of a run without a profile have no such column', () => {
    expect(renderMarkdown(results)).not.toContain('Not applicable because')
    expect(renderHtml(results)).not.toContain('Not applicable because')
  })
})
