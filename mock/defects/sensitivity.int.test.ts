/**
 * The proof of suite sensitivity: the cases of each defect's declared requirements run
 * against the mock with that defect switched on (`authconform verify --target …
 * --requirements …`, a few runs in parallel). Each defect must make some MUST case fail, and
 * every requirement it declares — with every case, and again counting the deterministic
 * cases alone (the randomized differential case adds breadth, never sole coverage): one
 * run per defect gives both figures. That the correct mock passes every case is the full clean
 * run of cli/verify.int.test.ts, in the same `npm test`, so a failure here is the defect's.
 * Prints the mutation score and the defect × requirement matrix and writes
 * reports/sensitivity/summary.md.
 *
 * SENSITIVITY_DEFECTS=a,b runs a subset (development); SENSITIVITY_CONCURRENCY=N (default 3).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEFECTS, findDefect } from './catalogue.ts'
import type { Defect } from './defect.ts'
import { judge, renderConsole, renderMarkdown, scores, type DefectVerdict } from './sensitivity-report.ts'
import { runAll, type RunPlan } from './sensitivity-run.ts'

const OUT = fileURLToPath(new URL('../../reports/sensitivity/', import.meta.url))
const SEED = 20_261_127
const concurrency = Number(process.env.SENSITIVITY_CONCURRENCY ?? 3)
const defects: Defect[] = process.env.SENSITIVITY_DEFECTS
  ? process.env.SENSITIVITY_DEFECTS.split(',').map((name) => findDefect(name.trim()))
  : [...DEFECTS]

const plans: RunPlan[] = defects.map((defect) => ({
  defect: defect.name,
  requirements: defect.requirements,
  reportDir: join(OUT, 'runs', defect.name),
  seed: SEED,
  budgetSeconds: 900,
}))

const verdicts = new Map<string, DefectVerdict>()

describe('suite sensitivity (mutation testing of the suites against the defect catalogue)', () => {
  beforeAll(async () => {
    await rm(OUT, { recursive: true, force: true })
    await mkdir(OUT, { recursive: true })
    const started = performance.now()
    const outcomes = await runAll(plans, concurrency)
    const wallMs = performance.now() - started
    for (const [index, defect] of defects.entries()) {
      const outcome = outcomes[index]!
      verdicts.set(defect.name, judge(defect, outcome.results, outcome.durationMs, outcome.tail))
    }
    const list = [...verdicts.values()]
    console.log(renderConsole(list, wallMs, concurrency))
    await writeFile(join(OUT, 'summary.md'), renderMarkdown(list, wallMs, concurrency), 'utf8')
    await writeFile(join(OUT, 'verdicts.json'), `${JSON.stringify({ scores: scores(list), wallMs, verdicts: list }, null, 2)}\n`, 'utf8')
  }, 40 * 60_000)

  it.each(defects.map((defect) => [defect.name] as const))('%s is caught by its declared requirements', (name) => {
    const verdict = verdicts.get(name)!
    expect(verdict.broken, `the run against --defect ${name} broke`).toBeUndefined()
    expect(verdict.mustCaseFailed, `no MUST case failed against --defect ${name}`).toBe(true)
    expect(verdict.missing, `declared requirements that did not fail against --defect ${name}`).toEqual([])
    expect(verdict.withoutDifferential.missing, `declared requirements only the differential case failed against --defect ${name}`).toEqual([])
    expect(verdict.withoutDifferential.mustCaseFailed, `no deterministic MUST case failed against --defect ${name}`).toBe(true)
  })

  it('scores 100 %, with and without the differential case', () => {
    const { all, withoutDifferential } = scores([...verdicts.values()])
    expect([all.percent, withoutDifferential.percent]).toEqual([100, 100])
  })
})
