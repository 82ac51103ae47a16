/**
 * The proof of suite sensitivity: the cases of each defect's declared requirements run
 * against the mock with that defect (spawned `authconform mock --defect NAME` +
 * `authconform verify --target … --requirements …`, a few in parallel), and the cases of all
 * of them against the correct mock once. Each defect must make some MUST case fail, and
 * every requirement it declares; the correct mock must pass them all (the full clean run is
 * cli/verify.int.test.ts). Prints the mutation score and the defect × requirement matrix and
 * writes reports/sensitivity/summary.md.
 *
 * SENSITIVITY_DEFECTS=a,b runs a subset (development); SENSITIVITY_CONCURRENCY=N (default 3).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEFECTS, findDefect } from './catalogue.ts'
import type { Defect } from './defect.ts'
import { judge, renderConsole, renderMarkdown, score, type DefectVerdict } from './sensitivity-report.ts'
import { runAll, type RunOutcome, type RunPlan } from './sensitivity-run.ts'

const OUT = fileURLToPath(new URL('../../reports/sensitivity/', import.meta.url))
const SEED = 20_261_127
const concurrency = Number(process.env.SENSITIVITY_CONCURRENCY ?? 3)
const defects: Defect[] = process.env.SENSITIVITY_DEFECTS
  ? process.env.SENSITIVITY_DEFECTS.split(',').map((name) => findDefect(name.trim()))
  : [...DEFECTS]

function plan(defect: Defect | null, requirements: readonly string[]): RunPlan {
  return { defect: defect?.name ?? null, requirements, reportDir: join(OUT, 'runs', defect?.name ?? 'no-defect'), seed: SEED, budgetSeconds: 900 }
}

const declared = [...new Set(defects.flatMap((defect) => defect.requirements))].sort()
// The baseline covers the most ground: start it first.
const plans: RunPlan[] = [plan(null, declared), ...defects.map((defect) => plan(defect, defect.requirements))]

let baseline: RunOutcome
const verdicts = new Map<string, DefectVerdict>()

describe('suite sensitivity (mutation testing of the suites against the defect catalogue)', () => {
  beforeAll(async () => {
    await rm(OUT, { recursive: true, force: true })
    await mkdir(OUT, { recursive: true })
    const started = performance.now()
    const outcomes = await runAll(plans, concurrency)
    const wallMs = performance.now() - started
    baseline = outcomes[0]!
    for (const [index, defect] of defects.entries()) {
      const outcome = outcomes[index + 1]!
      verdicts.set(defect.name, judge(defect, outcome.results, outcome.durationMs, outcome.tail))
    }
    const baselineText = baseline.results
      ? `${baseline.results.verdict} (${baseline.results.counts.passed} cases passed, ${baseline.results.counts.failed} failed; requirements ${declared.join(', ')})`
      : 'no results'
    const list = [...verdicts.values()]
    console.log(renderConsole(list, wallMs))
    await writeFile(join(OUT, 'summary.md'), renderMarkdown(list, wallMs, baselineText), 'utf8')
    await writeFile(join(OUT, 'verdicts.json'), `${JSON.stringify({ score: score(list), wallMs, verdicts: list }, null, 2)}\n`, 'utf8')
  }, 40 * 60_000)

  it('the correct mock passes every case of the declared requirements', () => {
    expect(baseline.results, baseline.tail).toBeDefined()
    const failed = baseline.results!.cases.filter((result) => result.status === 'failed').map((result) => result.id)
    expect(failed).toEqual([])
    expect(baseline.results!.verdict).toBe('passed')
    const uncovered = baseline.results!.coverage.filter((row) => row.status !== 'passed').map((row) => `${row.id}: ${row.status}`)
    expect(uncovered, 'every declared requirement has a passing case').toEqual([])
  })

  it.each(defects.map((defect) => [defect.name] as const))('%s is caught by its declared requirements', (name) => {
    const verdict = verdicts.get(name)!
    expect(verdict.broken, `the run against --defect ${name} broke`).toBeUndefined()
    expect(verdict.mustCaseFailed, `no MUST case failed against --defect ${name}`).toBe(true)
    expect(verdict.missing, `declared requirements that did not fail against --defect ${name}`).toEqual([])
  })

  it('scores 100 %', () => {
    expect(score([...verdicts.values()]).percent).toBe(100)
  })
})
