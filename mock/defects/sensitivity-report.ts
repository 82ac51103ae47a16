/**
 * Judging sensitivity runs: a defect is caught when some MUST case failed and the
 * requirements the failed cases are credited with include every declared one — judged
 * twice, with every case and without the randomized differential case (which adds
 * breadth, never sole coverage). Renders both mutation scores, what failed beyond the
 * declared requirements, and the defect × requirement matrix for the console and summary.md.
 */
import type { CaseResult, RunResults } from '../../reports/results.ts'
import type { Defect } from './defect.ts'

/** Cases that add breadth only: every defect must also be caught without them. */
export const BREADTH_ONLY_FILES: readonly string[] = ['suites/permissions/evaluator-differential.suite.ts']

/** How one set of cases fared against a defect. */
export interface Catch {
  caught: boolean
  mustCaseFailed: boolean
  /** The requirements the failed cases are credited with. */
  failed: string[]
  /** Declared but not failed: a gap in the suites. */
  missing: string[]
  /** Failed without being declared: collateral, allowed (declared-only catches are the goal). */
  collateral: string[]
}

export interface DefectVerdict extends Catch {
  name: string
  description: string
  declared: readonly string[]
  /** The same run judged without the breadth-only cases. */
  withoutDifferential: Catch
  /** Set when the run produced no results (the harness broke, not the suites). */
  broken?: string
  durationMs: number
}

/** The requirements the failed MUST cases are credited with (not every ID they check). */
export function failedRequirements(cases: readonly CaseResult[]): string[] {
  const ids = new Set<string>()
  for (const result of cases) if (result.status === 'failed') for (const id of result.failedRequirements ?? result.requirements) ids.add(id)
  return [...ids].sort()
}

function catchOf(defect: Defect, cases: readonly CaseResult[]): Catch {
  const failed = failedRequirements(cases)
  const mustCaseFailed = cases.some((result) => result.status === 'failed' && result.level === 'MUST')
  const missing = defect.requirements.filter((id) => !failed.includes(id))
  const collateral = failed.filter((id) => !defect.requirements.includes(id))
  return { caught: mustCaseFailed && missing.length === 0, mustCaseFailed, failed, missing, collateral }
}

export function judge(defect: Defect, results: RunResults | undefined, durationMs: number, tail = ''): DefectVerdict {
  const base = { name: defect.name, description: defect.description, declared: defect.requirements, durationMs }
  if (results === undefined) {
    const broken = tail.trim() === '' ? 'no results.json' : tail.trim()
    const none: Catch = { caught: false, mustCaseFailed: false, failed: [], missing: [...defect.requirements], collateral: [] }
    return { ...base, ...none, withoutDifferential: none, broken }
  }
  const deterministic = results.cases.filter((result) => !BREADTH_ONLY_FILES.includes(result.file))
  return { ...base, ...catchOf(defect, results.cases), withoutDifferential: catchOf(defect, deterministic) }
}

export interface Score {
  caught: number
  total: number
  percent: number
}

export function score(verdicts: readonly DefectVerdict[], pick: (verdict: DefectVerdict) => Catch = (verdict) => verdict): Score {
  const caught = verdicts.filter((verdict) => pick(verdict).caught).length
  const total = verdicts.length
  return { caught, total, percent: total === 0 ? 0 : Math.floor((caught / total) * 1000) / 10 }
}

/** Both scores: with every case, and with the deterministic cases alone. */
export function scores(verdicts: readonly DefectVerdict[]): { all: Score; withoutDifferential: Score } {
  return { all: score(verdicts), withoutDifferential: score(verdicts, (verdict) => verdict.withoutDifferential) }
}

const MARK = { caughtAsDeclared: '●', declaredMissed: '○', collateral: '·', none: ' ' } as const

function mark(verdict: DefectVerdict, id: string): string {
  const declared = verdict.declared.includes(id)
  const failed = verdict.failed.includes(id)
  if (declared) return failed ? MARK.caughtAsDeclared : MARK.declaredMissed
  return failed ? MARK.collateral : MARK.none
}

/** Requirement IDs that any defect declares or fails, in catalogue order (area prefix, then number). */
function involvedIds(verdicts: readonly DefectVerdict[]): string[] {
  const ids = new Set(verdicts.flatMap((verdict) => [...verdict.declared, ...verdict.failed]))
  return [...ids].sort()
}

const LEGEND = `${MARK.caughtAsDeclared} declared and failed   ${MARK.declaredMissed} declared, did NOT fail (gap)   ${MARK.collateral} also failed`

function scoreLine({ all, withoutDifferential }: ReturnType<typeof scores>): string {
  return `${all.caught}/${all.total} defects caught — mutation score ${all.percent} %; without the differential case ${withoutDifferential.caught}/${withoutDifferential.total}, ${withoutDifferential.percent} %`
}

/** What a defect made fail, as one line: the declared requirements, gaps, and what else failed. */
function detailOf(verdict: DefectVerdict): string {
  if (verdict.broken) return `run broke: ${verdict.broken.split('\n').at(-1)}`
  const parts = [verdict.declared.join(' ')]
  if (verdict.missing.length > 0) parts.push(`not failing: ${verdict.missing.join(' ')}`)
  if (!verdict.mustCaseFailed) parts.push('no MUST case failed')
  const alone = verdict.withoutDifferential
  if (verdict.caught && !alone.caught) parts.push(`caught only by the differential case (deterministic cases miss ${alone.missing.join(' ') || 'every MUST'})`)
  if (verdict.collateral.length > 0) parts.push(`also failed: ${verdict.collateral.join(' ')}`)
  return parts.join(' — ')
}

/** Console text: one line per defect, then the matrix with requirements as rows and defect numbers as columns. */
export function renderConsole(verdicts: readonly DefectVerdict[], wallMs: number, concurrency: number): string {
  const width = Math.max(...verdicts.map((verdict) => verdict.name.length))
  const lines = verdicts.map((verdict, index) => {
    const status = verdict.caught && verdict.withoutDifferential.caught ? 'caught ' : 'MISSED '
    return `${String(index + 1).padStart(3)} ${status}${verdict.name.padEnd(width)}  ${detailOf(verdict)}`
  })
  const ids = involvedIds(verdicts)
  const header = `${' '.repeat(9)}${verdicts.map((_, index) => String(index + 1).padStart(3)).join('')}`
  const rows = ids.map((id) => `${id.padEnd(9)}${verdicts.map((verdict) => mark(verdict, id).padStart(3)).join('')}`)
  return [
    `Suite sensitivity: ${scoreLine(scores(verdicts))} (${Math.round(wallMs / 1000)} s, ${concurrency} runs at a time)`,
    ...lines,
    '',
    `Defect × requirement matrix (${LEGEND})`,
    header,
    ...rows,
    '',
  ].join('\n')
}

/** reports/sensitivity/summary.md */
export function renderMarkdown(verdicts: readonly DefectVerdict[], wallMs: number, concurrency: number): string {
  const { all, withoutDifferential } = scores(verdicts)
  const ids = involvedIds(verdicts)
  const cell = (text: string) => text.replaceAll('|', '\\|')
  const verdictCell = (found: Catch) => (found.caught ? 'caught' : `**missed**${found.missing.length > 0 ? ` (${found.missing.join(', ')})` : ''}`)
  const defectRows = verdicts.map(
    (verdict, index) =>
      `| ${index + 1} | \`${verdict.name}\` | ${cell(verdict.description)} | ${verdict.declared.join(', ')} | ${verdictCell(verdict)} | ${verdictCell(verdict.withoutDifferential)} | ${verdict.collateral.join(', ')} |`,
  )
  const matrixRows = ids.map((id) => `| ${id} | ${verdicts.map((verdict) => mark(verdict, id)).join(' | ')} |`)
  return [
    '# Suite sensitivity',
    '',
    `**Mutation score: ${all.percent} %** — ${all.caught} of ${all.total} defects caught by their declared requirements;`,
    `**without the differential case: ${withoutDifferential.percent} %** (${withoutDifferential.caught} of ${withoutDifferential.total}).`,
    '',
    'Each defect ran alone against the cases of its declared requirements (`verify --requirements`);',
    'it is caught when some MUST case fails and the requirements the failed cases are credited with',
    'include every declared one. The randomized differential case is judged apart: it adds breadth,',
    'every defect must also be caught without it. "Also failed" lists what failed beyond the declared',
    'requirements (ideally nothing). The mock without defects passes every case (cli/verify.int.test.ts).',
    '',
    `Wall time: ${Math.round(wallMs / 1000)} s, ${concurrency} runs at a time.`,
    '',
    '| # | Defect | What is wrong | Must fail | Verdict | Without the differential case | Also failed |',
    '|---|---|---|---|---|---|---|',
    ...defectRows,
    '',
    '## Defect × requirement matrix',
    '',
    LEGEND,
    '',
    `| Requirement | ${verdicts.map((_, index) => index + 1).join(' | ')} |`,
    `|---|${verdicts.map(() => ':-:').join('|')}|`,
    ...matrixRows,
    '',
  ].join('\n')
}
