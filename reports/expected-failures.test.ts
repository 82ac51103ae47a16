import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../errors/usage-error.ts'
import { applyExpectedFailures, loadExpectedFailures, parseExpectedFailures } from './expected-failures.ts'
import type { CaseResult, CaseStatus } from './results.ts'

const KNOWN = new Set(['AUTH-008', 'KEY-004', 'AUTH-012'])

function result(name: string, status: CaseStatus, requirements: string[]): CaseResult {
  return { id: `auth/t:${name}`, file: 'suites/auth/t.suite.ts', name, fullName: name, area: 'auth', requirements, level: 'MUST', status, durationMs: 1 }
}

describe('applyExpectedFailures', () => {
  const cases = [
    result('AUTH-008 reuse revokes', 'failed', ['AUTH-008']),
    result('KEY-004 AUTH-012 revoking kills tokens', 'failed', ['KEY-004', 'AUTH-012']),
    result('AUTH-001 exchange', 'passed', ['AUTH-001']),
    result('AUTH-004 expiry', 'not_verified', ['AUTH-004']),
  ]

  it.each([
    ['a requirement ID', 'AUTH-008', 'AUTH-008 reuse revokes'],
    ['any of a case’s requirement IDs', 'AUTH-012', 'KEY-004 AUTH-012 revoking kills tokens'],
    ['a case id', 'auth/t:AUTH-008 reuse revokes', 'AUTH-008 reuse revokes'],
    ['a test name', 'KEY-004 AUTH-012 revoking kills tokens', 'KEY-004 AUTH-012 revoking kills tokens'],
  ])('turns a failure listed by %s into an expected failure', (_, id, name) => {
    const { cases: updated, stale } = applyExpectedFailures(cases, [{ id, reason: 'known' }])
    expect(updated.find((candidate) => candidate.name === name)).toMatchObject({ status: 'expected_failure', expectedReason: 'known' })
    expect(stale).toEqual([])
  })

  it.each([
    ['its cases all pass now', 'AUTH-001', ['auth/t:AUTH-001 exchange']],
    ['it matches no failure', 'auth/t:AUTH-001 exchange', ['auth/t:AUTH-001 exchange']],
  ])('reports an entry as stale when %s', (_, id, staleCases) => {
    const { stale } = applyExpectedFailures(cases, [{ id, reason: 'was broken' }])
    expect(stale).toEqual([{ id, reason: 'was broken', cases: staleCases }])
  })

  it.each([
    ['its cases were not verified', 'AUTH-004'],
    ['no case of this run matches it (area not selected)', 'PERM-001'],
  ])('does not call an entry stale when %s', (_, id) => {
    expect(applyExpectedFailures(cases, [{ id, reason: 'r' }]).stale).toEqual([])
  })

  it('leaves passing and unlisted cases alone', () => {
    const { cases: updated } = applyExpectedFailures(cases, [{ id: 'AUTH-008', reason: 'r' }])
    expect(updated.map((candidate) => candidate.status)).toEqual(['expected_failure', 'failed', 'passed', 'not_verified'])
  })
})

describe('parseExpectedFailures', () => {
  it.each([
    ['not a list', { id: 'AUTH-008' }, /must be a list/],
    ['an entry without id', [{ reason: 'r' }], /entry 1 has no id/],
    ['an entry without reason', [{ id: 'AUTH-008' }], /entry 1 \(AUTH-008\) needs a reason/],
    ['an unknown requirement ID', [{ id: 'AUTH-999', reason: 'r' }], /unknown requirement AUTH-999/],
    ['a scalar entry', ['AUTH-008'], /entry 1 must be \{id, reason\}/],
  ])('rejects %s with a usage error', (_, parsed, message) => {
    expect(() => parseExpectedFailures(parsed, 'x.yaml', KNOWN)).toThrow(UsageError)
    expect(() => parseExpectedFailures(parsed, 'x.yaml', KNOWN)).toThrow(message)
  })

  it('accepts requirement IDs, case ids and an empty file', () => {
    expect(parseExpectedFailures([{ id: 'AUTH-008', reason: 'a' }, { id: 'auth/t:x', reason: 'b' }], 'x', KNOWN)).toHaveLength(2)
    expect(parseExpectedFailures(null, 'x', KNOWN)).toEqual([])
  })
})

describe('loadExpectedFailures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-expected-'))

  it.each([
    ['YAML', 'list.yaml', '- id: AUTH-008\n  reason: issue 7\n'],
    ['JSON', 'list.json', '[{"id": "AUTH-008", "reason": "issue 7"}]'],
  ])('reads %s', (_, name, text) => {
    writeFileSync(join(dir, name), text)
    expect(loadExpectedFailures(join(dir, name), KNOWN)).toEqual([{ id: 'AUTH-008', reason: 'issue 7' }])
  })

  it.each([
    ['a missing file', 'missing.yaml', undefined, /cannot read/],
    ['broken YAML', 'broken.yaml', '- id: [unclosed\n', /not valid YAML\/JSON/],
  ])('reports %s as a usage error', (_, name, text, message) => {
    if (text !== undefined) writeFileSync(join(dir, name), text)
    expect(() => loadExpectedFailures(join(dir, name), KNOWN)).toThrow(message)
  })
})
