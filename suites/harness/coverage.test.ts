// The coverage gate: every MUST requirement of the catalogue has at least one case in
// suites/, and every case names only requirement IDs the catalogue knows. The case
// writers work toward this test; its failure message lists what is missing.
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { requirements } from '../../openapi/contract.ts'
import { allDeclaredCases, declaredCases } from './suite-cases.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const suitesDir = fileURLToPath(new URL('..', import.meta.url))
const cases = allDeclaredCases(suitesDir, root)
const known = new Set(requirements.map((requirement) => requirement.id))

describe('coverage of the requirement catalogue', () => {
  it('every MUST requirement has a case in suites/', () => {
    const covered = new Set(cases.flatMap((declared) => declared.ids))
    const uncovered = requirements.filter((requirement) => requirement.level === 'MUST' && !covered.has(requirement.id))
    expect(uncovered.map((requirement) => `${requirement.id} ${requirement.title}`), 'MUST requirements without a case').toEqual([])
  })

  it('every case names only known requirement IDs', () => {
    const unknown = cases.flatMap((declared) =>
      declared.ids.filter((id) => !known.has(id)).map((id) => `${declared.file}:${declared.line} ${id}`),
    )
    expect(unknown, 'cases naming IDs the catalogue does not have').toEqual([])
  })

  it('every case starts its name with a requirement ID', () => {
    const unnamed = cases.filter((declared) => declared.ids.length === 0).map((declared) => `${declared.file}:${declared.line} '${declared.name}'`)
    expect(unnamed, 'cases without a leading requirement ID').toEqual([])
  })
})

describe('declaredCases', () => {
  it.each([
    ["it('AUTH-008 a reused token', fn)", ['AUTH-008']],
    ["it('KEY-004 AUTH-012 revoking kills tokens', fn)", ['KEY-004', 'AUTH-012']],
    ['test.each(rows)("ERR-001 $code is problem+json", fn)', ['ERR-001']],
    ['it.skipIf(x)(`DISC-005 ${limit.scope} per ${limit.per}`, fn)', ['DISC-005']],
    ["it('no id here', fn)", []],
  ])('reads %s', (source, ids) => {
    expect(declaredCases(source, 'x.suite.ts').map((declared) => declared.ids)).toEqual([ids])
  })

  it('does not take describe names for cases', () => {
    expect(declaredCases("describe('AUTH-001 group', () => {})", 'x.suite.ts')).toEqual([])
  })
})
