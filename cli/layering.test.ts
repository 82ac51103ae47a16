// cli/ is the top of the layering (openapi → mock → suites → reports, cli on top): code
// below it never imports from it, so shared types such as UsageError live below every
// layer (errors/). Tests may drive the CLI from anywhere, and entry points (bin/, the
// image's mock-entrypoint.js) start it; neither is checked here.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SKIPPED = new Set(['node_modules', '.git', '.podman', 'cli', 'reports/docs'])

function sources(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(folder, entry.name)
    if (entry.isDirectory()) return SKIPPED.has(relative) || entry.name.startsWith('.') ? [] : sources(relative)
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [relative] : []
  })
}

/** The modules `file` imports (static and dynamic), resolved to paths from the root. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8')
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)].map((match) => match[1]!)
  return specifiers.filter((specifier) => specifier.startsWith('.')).map((specifier) => path.join(path.dirname(file), specifier))
}

describe('layering', () => {
  const files = sources('.')

  it('reads the sources of every layer (the scan is not empty)', () => {
    expect(files).toEqual(expect.arrayContaining(['mock/server.ts', 'suites/harness/preflight.ts', 'containers/engine.ts', 'reports/expected-failures.ts']))
  })

  it('no source file below cli/ imports from cli/', () => {
    const upward = files.flatMap((file) => importsOf(file).filter((target) => target.startsWith(`cli${path.sep}`)).map((target) => `${file} → ${target}`))
    expect(upward).toEqual([])
  })
})
