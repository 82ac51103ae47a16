// outcomes.ts against a real vitest run of a small fixture file: a describe whose
// beforeAll fails takes its cases down as not verified, with the cause; a case's credited
// requirements and recorded violations travel in its meta; a file's set-up violations
// become an ERR-017 pseudo-case. The progress printer then shows the set-up failure once.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestModule } from 'vitest/node'
import { progressPrinter } from '../../reports/report-console.ts'
import type { CaseOutcome } from '../../reports/results.ts'
import { fileOutcomes, outcomeOf, OUTSIDE_CASES, SUITE_FILE } from './outcomes.ts'

const VIOLATION = { operation: 'listKeys', violations: ['GET /v1/keys → 200: body/items must be array'], exchange: { method: 'GET', url: 'http://t/v1/keys', requestHeaders: {}, durationMs: 1 } }

const CASE_CONTEXT = fileURLToPath(new URL('./case-context.ts', import.meta.url))

const FIXTURE = `
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from 'vitest'
import { crediting, enterCase, leaveCase } from ${JSON.stringify(CASE_CONTEXT)}
beforeEach((context) => enterCase(context))
afterEach(() => leaveCase())
afterAll(async ({}, file) => { file.meta.authconformFile = { contractViolations: [${JSON.stringify(VIOLATION)}] } })
describe('PERM-008 create checks the filters', () => {
  beforeAll(() => { throw new Error('SetupError: given.dataset: expected 201, the target answered 500') })
  it('PERM-008 one', () => {})
  it('PERM-008 two', () => {})
})
it('PERM-010 PERM-017 credited', ({ task }) => {
  task.meta.authconform = { failedRequirements: ['PERM-010'], contractViolations: [${JSON.stringify(VIOLATION)}] }
  throw new Error('delete answered 204')
})
it('AUTH-001 passes', () => {})
it('ERR-011 ERR-009 ERR-010 an enclosing crediting narrows an inner one', async () => {
  await crediting(['ERR-011'], async () => crediting({ except: ['ERR-001'] }, () => { throw new Error('not 429') }))
})
it('ERR-012 ERR-009 an enclosing crediting never widens an inner one', () => {
  crediting({ except: [] }, () => crediting(['ERR-009'], () => { throw new Error('no Retry-After') }))
})
it('PERM-013 ERR-008 a credited ID the name does not carry is ignored', () => {
  crediting(['PERM-010'], () => { throw new Error('let through') })
})
`

const cases: CaseOutcome[] = []
const extras: CaseOutcome[] = []

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-outcomes-'))
  writeFileSync(join(dir, 'fixture.test.ts'), FIXTURE)
  const { createVitest } = await import('vitest/node')
  const vitest = await createVitest('test', {
    root: dir,
    watch: false,
    include: ['fixture.test.ts'],
    reporters: [
      {
        onTestCaseResult: (testCase) => void cases.push(outcomeOf(testCase, false)),
        onTestModuleEnd: (module: TestModule) => void extras.push(...fileOutcomes(module, false)),
      },
    ],
  })
  try {
    await vitest.start()
  } finally {
    await vitest.close()
  }
}, 120_000)

const byName = (name: string) => cases.find((outcome) => outcome.name === name)!

describe('outcomes of a vitest run', () => {
  it('a failed beforeAll takes its cases down as not verified, naming the set-up and its cause', () => {
    for (const name of ['PERM-008 one', 'PERM-008 two']) {
      expect(byName(name)).toMatchObject({
        state: 'skipped',
        verdict: 'not_verified',
        reason: 'not run: the set-up of "PERM-008 create checks the filters" failed — Error: SetupError: given.dataset: expected 201, the target answered 500',
        setupFailure: { scope: '"PERM-008 create checks the filters"', error: 'Error: SetupError: given.dataset: expected 201, the target answered 500' },
      })
    }
  })

  it('a case’s credited requirements and recorded violations travel with it', () => {
    expect(byName('PERM-010 PERM-017 credited')).toMatchObject({ state: 'failed', failedRequirements: ['PERM-010'], contractViolations: [VIOLATION] })
    expect(byName('AUTH-001 passes')).toMatchObject({ state: 'passed', contractViolations: [] })
    expect(byName('AUTH-001 passes')).not.toHaveProperty('setupFailure')
  })

  it.each([
    ['ERR-011 ERR-009 ERR-010 an enclosing crediting narrows an inner one', ['ERR-011']],
    ['ERR-012 ERR-009 an enclosing crediting never widens an inner one', ['ERR-009']],
  ])('crediting: %s', (name, credited) => {
    expect(byName(name)).toMatchObject({ state: 'failed', failedRequirements: credited })
  })

  it('crediting: an ID the case does not carry credits nothing', () => {
    expect(byName('PERM-013 ERR-008 a credited ID the name does not carry is ignored')).not.toHaveProperty('failedRequirements')
  })

  it('the file reports its failed set-up and the violations outside its cases', () => {
    expect(extras.map((outcome) => [outcome.name, outcome.state])).toEqual([[SUITE_FILE, 'failed'], [OUTSIDE_CASES, 'passed']])
    expect(extras[1]!.contractViolations).toEqual([VIOLATION])
  })

  it('the progress shows the set-up failure once, above the cases it took down, and not again for the file', () => {
    const lines: string[] = []
    const print = progressPrinter((line) => lines.push(line))
    for (const outcome of [...cases, ...extras]) print(outcome)
    const setup = lines.filter((line) => /set-up (of|failed)/.test(line))
    expect(setup[0]).toMatch(/✗ .*fixture\.test\.ts › set-up of "PERM-008 create checks the filters" failed: Error: SetupError: given\.dataset/)
    expect(setup.slice(1)).toEqual([
      expect.stringMatching(/- .* › PERM-008 one — not run: its set-up failed \(above\)$/),
      expect.stringMatching(/- .* › PERM-008 two — not run: its set-up failed \(above\)$/),
    ])
    expect(lines.filter((line) => line.includes(SUITE_FILE))).toEqual([])
    expect(lines.find((line) => line.includes('credited'))).toMatch(/✗ .* — ERR-017 GET \/v1\/keys → 200: body\/items must be array$/)
  })
})
