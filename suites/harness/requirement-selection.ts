// `verify --requirements AUTH-006,PERM-002`: only the cases whose names carry one of the IDs.
// vitest's testNamePattern picks the cases; the suite files are narrowed first to those that
// mention an ID at all, so that a small selection does not pay for loading every file.
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { suiteFiles } from './suite-cases.ts'

export interface RequirementSelection {
  /** Matches a case's full name ('describe > test') that carries a selected ID. */
  pattern: RegExp
  /** Suite files (relative to root) of the areas that mention a selected ID. */
  files(root: string, areas: readonly string[]): string[]
}

export function requirementSelection(ids: readonly string[]): RequirementSelection {
  const alternatives = ids.map((id) => id.replace(/[^A-Z0-9-]/g, '')).join('|')
  // Case names start with their IDs (case-ids.ts), and describe names may too.
  const pattern = new RegExp(`(^|\\s)(${alternatives})(\\s|$)`)
  const mentioned = new RegExp(`\\b(${alternatives})\\b`)
  return {
    pattern,
    files: (root, areas) =>
      areas
        .flatMap((area) => suiteFiles(join(root, 'suites', area)))
        .filter((file) => mentioned.test(readFileSync(file, 'utf8')))
        .map((file) => relative(root, file)),
  }
}
