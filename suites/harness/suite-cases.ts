// The cases the suite files declare, read from their source: what the coverage gate
// checks without a target to run against. A case is an `it(...)`/`test(...)` call (any
// modifiers: .each, .skipIf(...), …) whose first argument is a string or template
// literal; its requirement IDs are the literal's leading IDs.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { requirementIds } from './case-ids.ts'

export interface DeclaredCase {
  file: string
  line: number
  name: string
  ids: string[]
}

const TEST_CALL = /\b(?:it|test)(?:\s*\.\s*\w+(?:\([^()]*\))?)*\s*\(\s*(['"`])/g

export function suiteFiles(suitesDir: string): string[] {
  return readdirSync(suitesDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.suite.ts'))
    .map((file) => join(suitesDir, file))
    .sort()
}

export function declaredCases(source: string, file: string): DeclaredCase[] {
  const cases: DeclaredCase[] = []
  for (const match of source.matchAll(TEST_CALL)) {
    const quote = match[1]!
    const start = match.index! + match[0].length
    const end = source.indexOf(quote, start)
    if (end < 0) continue
    const name = source.slice(start, end)
    const line = source.slice(0, match.index).split('\n').length
    cases.push({ file, line, name, ids: requirementIds(name.split('${')[0]!) })
  }
  return cases
}

export function allDeclaredCases(suitesDir: string, root: string): DeclaredCase[] {
  return suiteFiles(suitesDir).flatMap((path) => declaredCases(readFileSync(path, 'utf8'), relative(root, path)))
}
