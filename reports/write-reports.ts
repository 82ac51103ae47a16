// Writes every report of a run into the report directory.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { renderHtml } from './report-html.ts'
import { renderCoverageJson, renderJson } from './report-json.ts'
import { renderJunit } from './report-junit.ts'
import { renderMarkdown } from './report-markdown.ts'
import type { RunResults } from './results.ts'

export const REPORT_FILES = {
  'results.json': renderJson,
  'coverage.json': renderCoverageJson,
  'junit.xml': renderJunit,
  'summary.md': renderMarkdown,
  'report.html': renderHtml,
} as const

export async function writeReports(results: RunResults, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const written: string[] = []
  for (const [name, render] of Object.entries(REPORT_FILES)) {
    const path = join(dir, name)
    await writeFile(path, render(results), 'utf8')
    written.push(path)
  }
  return written
}
