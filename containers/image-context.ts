// A build context for the mock image on machines that reach no image or npm registry from
// inside a build (like CI here: see /work/shared/CONTAINERS.md). It holds the project's
// files as git sees them plus the production dependencies the host already installed, in
// prebuilt-deps.tar, which the Dockerfile unpacks instead of running `npm ci`.
import { execFile } from 'node:child_process'
import { access, cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export const REPO_ROOT = path.resolve(import.meta.dirname, '..')

export interface ImageContext {
  dir: string
  remove(): Promise<void>
}

export async function prepareMockImageContext(repoRoot = REPO_ROOT): Promise<ImageContext> {
  const dir = await mkdtemp(path.join(tmpdir(), 'authconform-image-'))
  try {
    await copyProjectFiles(repoRoot, dir)
    await packProductionDependencies(repoRoot, path.join(dir, 'prebuilt-deps.tar'))
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** Tracked and untracked-but-not-ignored files: what a fresh clone plus local edits holds. */
async function copyProjectFiles(repoRoot: string, target: string): Promise<void> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  })
  const files = stdout.split('\0').filter((file) => file.length > 0)
  for (const file of files) {
    // A file deleted from the work tree but still in the index is not part of the build.
    if (await exists(path.join(repoRoot, file))) {
      await cp(path.join(repoRoot, file), path.join(target, file), { preserveTimestamps: true })
    }
  }
}

/**
 * The packages package-lock.json lists as not dev-only, as one tar file (a single file is
 * far cheaper to send and copy through a build than thousands of small ones). Packages
 * nested under another come along with it; optional ones for other platforms are absent.
 */
async function packProductionDependencies(repoRoot: string, tarFile: string): Promise<void> {
  const lock = JSON.parse(await readFile(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; optional?: boolean; link?: boolean }>
  }
  const locations: string[] = []
  for (const [location, entry] of Object.entries(lock.packages)) {
    const topLevel = location.lastIndexOf('node_modules/') === 0
    if (!topLevel || entry.dev || entry.link) continue
    if (await exists(path.join(repoRoot, location))) locations.push(location)
    else if (!entry.optional) {
      throw new Error(`${location} is missing: run \`npm ci\` before building the mock image`)
    }
  }
  await run('tar', ['-cf', tarFile, '-C', repoRoot, '--', ...locations], { maxBuffer: 16 * 1024 * 1024 })
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  )
}
