import { describe, expect, it } from 'vitest'
import type { CaseResult, RunResults } from '../../reports/results.ts'
import type { Defect } from './defect.ts'
import { BREADTH_ONLY_FILES, judge, renderConsole, renderMarkdown, score, scores } from './sensitivity-report.ts'

const defect: Defect = { name: 'demo', description: 'a | demo', requirements: ['AUTH-006', 'AUTH-007'], hooks: () => ({}) }

type CaseSketch = { readonly requirements: readonly string[]; readonly failedRequirements?: readonly string[]; readonly file?: string } & Pick<CaseResult, 'status' | 'level'>

function results(cases: readonly CaseSketch[]): RunResults {
  return {
    cases: cases.map((result, index) => ({
      id: `c${index}`,
      file: 'suites/auth/x.suite.ts',
      ...result,
      requirements: [...result.requirements],
      ...(result.failedRequirements && { failedRequirements: [...result.failedRequirements] }),
    })),
  } as unknown as RunResults
}

const DIFFERENTIAL = BREADTH_ONLY_FILES[0]!

describe('judge', () => {
  it.each([
    ['every declared requirement failed', [{ requirements: ['AUTH-006'], status: 'failed', level: 'MUST' }, { requirements: ['AUTH-007', 'AUTH-008'], status: 'failed', level: 'MUST' }], true, [], ['AUTH-008']],
    ['one declared requirement passed', [{ requirements: ['AUTH-006'], status: 'failed', level: 'MUST' }, { requirements: ['AUTH-007'], status: 'passed', level: 'MUST' }], false, ['AUTH-007'], []],
    ['only SHOULD cases failed', [{ requirements: ['AUTH-006', 'AUTH-007'], status: 'warning', level: 'SHOULD' }], false, ['AUTH-006', 'AUTH-007'], []],
    ['nothing failed', [{ requirements: ['AUTH-006'], status: 'passed', level: 'MUST' }], false, ['AUTH-006', 'AUTH-007'], []],
  ] as const)('%s', (_title, cases, caught, missing, collateral) => {
    const verdict = judge(defect, results(cases), 1000)
    expect(verdict.caught).toBe(caught)
    expect(verdict.missing).toEqual(missing)
    expect(verdict.collateral).toEqual(collateral)
  })

  it('names what failed beyond the declared requirements', () => {
    const verdict = judge(defect, results([{ requirements: ['AUTH-006', 'AUTH-007', 'AUTH-008'], status: 'failed', level: 'MUST' }]), 1000)
    expect(renderConsole([verdict], 1000, 1)).toMatch(/caught demo +AUTH-006 AUTH-007 — also failed: AUTH-008/)
    expect(renderMarkdown([verdict], 1000, 1)).toContain('| caught | caught | AUTH-008 |')
  })

  it('counts the requirements a failed case is credited with, not every ID it checks', () => {
    const verdict = judge(defect, results([{ requirements: ['AUTH-006', 'AUTH-007', 'ERR-017'], failedRequirements: ['AUTH-006', 'AUTH-007'], status: 'failed', level: 'MUST' }]), 1000)
    expect(verdict).toMatchObject({ caught: true, failed: ['AUTH-006', 'AUTH-007'], collateral: [] })
  })

  it('judges the run again without the differential case', () => {
    const onlyDifferential = judge(defect, results([
      { requirements: ['AUTH-006', 'AUTH-007'], status: 'failed', level: 'MUST', file: DIFFERENTIAL },
      { requirements: ['AUTH-006'], status: 'failed', level: 'MUST' },
    ]), 1000)
    expect(onlyDifferential.caught).toBe(true)
    expect(onlyDifferential.withoutDifferential).toMatchObject({ caught: false, missing: ['AUTH-007'] })
    expect(renderConsole([onlyDifferential], 1000, 1)).toMatch(/MISSED demo +AUTH-006 AUTH-007 — caught only by the differential case \(deterministic cases miss AUTH-007\)/)
    expect(scores([onlyDifferential])).toEqual({ all: { caught: 1, total: 1, percent: 100 }, withoutDifferential: { caught: 0, total: 1, percent: 0 } })
  })

  it('counts a run without results as missed and keeps why', () => {
    const verdict = judge(defect, undefined, 1000, 'boom\nmock did not start')
    expect(verdict).toMatchObject({ caught: false, broken: 'boom\nmock did not start', missing: ['AUTH-006', 'AUTH-007'] })
  })
})

describe('reports', () => {
  const caught = judge(defect, results([{ requirements: ['AUTH-006', 'AUTH-007'], status: 'failed', level: 'MUST' }]), 1000)
  const missed = { ...judge(defect, results([]), 1000), name: 'other' }

  it('scores caught / total', () => {
    expect(score([caught, missed])).toEqual({ caught: 1, total: 2, percent: 50 })
    expect(score([caught])).toEqual({ caught: 1, total: 1, percent: 100 })
  })

  it('renders the score, the verdicts and the matrix', () => {
    const text = renderConsole([caught, missed], 61_000, 3)
    expect(text).toContain('1/2 defects caught — mutation score 50 %; without the differential case 1/2, 50 % (61 s, 3 runs at a time)')
    expect(text).toMatch(/MISSED other .*not failing: AUTH-006 AUTH-007/)
    expect(text).toMatch(/AUTH-006 +● +○/)
    const markdown = renderMarkdown([caught, missed], 61_000, 3)
    expect(markdown).toContain('**Mutation score: 50 %**')
    expect(markdown).toContain('**without the differential case: 50 %** (1 of 2)')
    expect(markdown).toContain('a \\| demo')
    expect(markdown).toContain('| AUTH-007 | ● | ○ |')
  })
})
