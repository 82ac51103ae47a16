/**
 * Judging sensitivity runs: a defect is caught when some MUST case failed and the failed
 * requirement IDs include every declared one. Renders the mutation score and the
 * defect × requirement matrix for the console and for summary.md.
 */
import type { RunResults } from '../../reports/results.ts'
import type { Defect } from './defect.ts'

export interface DefectVerdict {
  name: string
  description: string
  declared: readonly string[]
  caught: boolean
  mustCaseFailed: boolean
  /** Requirement IDs of the failed cases. */
  failed: string[]
  /** Declared but not failed: a gap in the suites. */
  missing: string[]
  /** Failed without being declared: collateral, allowed. */
  collateral: string[]
  /** Set when the run produced no results (the harness broke, not the suites). */
  broken?: string
  durationMs: number
}

/** The requirements the failed MUST cases are credited with (not every ID they check). */
export function failedRequirements(results: RunResults): string[] {
  const ids = new Set<string>()
  for (const result of results.cases) if (result.status === 'failed') for (const id of result.failedRequirements ?? result.requirements) ids.add(id)
  return [...ids].sort()
}

export function judge(defect: Defect, results: RunResults | undefined, durationMs: number, tail = ''): DefectVerdict {
  const base = { name: defect.name, description: defect.description, declared: defect.requirements, durationMs }
  if (results === undefined) {
    const broken = tail.trim() === '' ? 'no results.json' : tail.trim()
    return { ...base, caught: false, mustCaseFailed: false, failed: [], missing: [...defect.requirements], collateral: [], broken }
  }
  const failed = failedRequirements(results)
  const mustCaseFailed = results.cases.some((result) => result.status === 'failed' && result.level === 'MUST')
  const missing = defect.requirements.filter((id) => !failed.includes(id))
  const collateral = failed.filter((id) => !defect.requirements.includes(id))
  return { ...base, caught: mustCaseFailed && missing.length === 0, mustCaseFailed, failed, missing, collateral }
}

export function score(verdicts: readonly DefectVerdict[]): { caught: number; total: number; percent: number } {
  const caught = verdicts.filter((verdict) => verdict.caught).length
  const total = verdicts.length
  return { caught, total, percent: total === 0 ? 0 : Math.floor((caught / total) * 1000) / 10 }
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

/** Console text: one line per defect, then the matrix with requirements as rows and defect numbers as columns. */
export function renderConsole(verdicts: readonly DefectVerdict[], wallMs: number, concurrency: number): string {
  const { caught, total, percent } = score(verdicts)
  const width = Math.max(...verdicts.map((verdict) => verdict.name.length))
  const lines = verdicts.map((verdict, index) => {
    const status = verdict.caught ? 'caught ' : 'MISSED '
    const detail = verdict.broken
      ? `run broke: ${verdict.broken.split('\n').at(-1)}`
      : `${verdict.declared.join(' ')}${verdict.missing.length > 0 ? ` — not failing: ${verdict.missing.join(' ')}` : ''}${verdict.mustCaseFailed ? '' : ' — no MUST case failed'}`
    return `${String(index + 1).padStart(3)} ${status}${verdict.name.padEnd(width)}  ${detail}`
  })
  const ids = involvedIds(verdicts)
  const header = `${' '.repeat(9)}${verdicts.map((_, index) => String(index + 1).padStart(3)).join('')}`
  const rows = ids.map((id) => `${id.padEnd(9)}${verdicts.map((verdict) => mark(verdict, id).padStart(3)).join('')}`)
  return [
    `Suite sensitivity: ${caught}/${total} defects caught — mutation score ${percent} % (${Math.round(wallMs / 1000)} s, ${concurrency} runs at a time)`,
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
  const { caught, total, percent } = score(verdicts)
  const ids = involvedIds(verdicts)
  const cell = (text: string) => text.replaceAll('|', '\\|')
  const defectRows = verdicts.map(
    (verdict, index) =>
      `| ${index + 1} | \`${verdict.name}\` | ${cell(verdict.description)} | ${verdict.declared.join(', ')} | ${verdict.caught ? 'caught' : `**missed**${verdict.missing.length > 0 ? ` (${verdict.missing.join(', ')})` : ''}`} | ${verdict.collateral.join(', ')} |`,
  )
  const matrixRows = ids.map((id) => `| ${id} | ${verdicts.map((verdict) => mark(verdict, id)).join(' | ')} |`)
  return [
    '# Suite sensitivity',
    '',
    `**Mutation score: ${percent} %** — ${caught} of ${total} defects caught by their declared requirements.`,
    '',
    'Each defect ran alone against the cases of its declared requirements (`verify --requirements`);',
    'it is caught when some MUST case fails and the failed requirement IDs include every declared one.',
    'The mock without defects passes every case (cli/verify.int.test.ts).',
    '',
    `Wall time: ${Math.round(wallMs / 1000)} s, ${concurrency} runs at a time.`,
    '',
    '| # | Defect | What is wrong | Must fail | Verdict | Also failed |',
    '|---|---|---|---|---|---|',
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
