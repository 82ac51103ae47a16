// The "before" tree a benchmark measures side by side with the working tree: a commit
// extracted with `git archive` to a temp directory (kept there for the next run), sharing
// this tree's node_modules, and started by its own CLI. Goals such as "no row slower than
// before" are judged on paired, interleaved rounds of both, never on figures of two runs.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/**
 * main when issue 15 (kept list answers) began: lists as fast as before that work is the
 * bar ("no row slower than today").
 */
export const LISTS_BASELINE = '38e5a52dbf63465f87a365a86ed1eb7c8bc7a287'

/**
 * main just before replicas (issue 16) made the store pluggable and the rate limiter's
 * windows asynchronous-capable: the in-memory rows must not move from it.
 */
export const REPLICAS_BASELINE = '0e7f32d2a20cf913fd3cd6eda71dd0e2b4512e1e'

export interface BaselineTree {
  commit: string
  /** Root of the extracted tree (bin/authconform.js is its CLI). */
  root: string
}

/**
 * The tree of `revision`, extracted once per commit; undefined (with the reason) when this
 * is no git checkout or the revision is unknown, so the caller can say so in one line.
 */
export function baselineTree(revision: string): BaselineTree | { unavailable: string } {
  let commit: string
  try {
    commit = execFileSync('git', ['rev-parse', '--verify', `${revision}^{commit}`], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
  } catch {
    return { unavailable: `${revision} is not a commit of a git checkout at ${ROOT}` }
  }
  const root = join(tmpdir(), `authconform-baseline-${commit.slice(0, 12)}`)
  if (!existsSync(join(root, 'bin', 'authconform.js'))) {
    // Extracted beside its final place and renamed, so an interrupted run leaves no half tree.
    const partial = `${root}.partial-${process.pid}`
    rmSync(partial, { recursive: true, force: true })
    mkdirSync(partial, { recursive: true })
    const archive = execFileSync('git', ['archive', '--format=tar', commit], { cwd: ROOT, maxBuffer: 1 << 30 })
    execFileSync('tar', ['-x', '-C', partial], { input: archive })
    symlinkSync(join(ROOT, 'node_modules'), join(partial, 'node_modules'), 'dir')
    rmSync(root, { recursive: true, force: true })
    renameSync(partial, root)
  }
  return { commit, root }
}
