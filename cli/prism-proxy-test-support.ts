// Prism's validation proxy (`prism proxy --errors`) as a child process, for tests that let a
// validator nobody here wrote check the mock's traffic against the bundle. Prism is started
// on a private copy of the bundle: it watches its document and restarts when the file
// changes, dropping the connections in flight — a concurrent `npm run generate` did exactly
// that to a run here.
import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { killedOnExit, stopChild } from '../support/child-processes.ts'

const PRISM_CLI = fileURLToPath(new URL('../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url))
const BUNDLE = fileURLToPath(new URL('../openapi/generated/bundle.yaml', import.meta.url))
const START_TIMEOUT_MS = 120_000

export interface PrismProxy {
  url: string
  /** Everything Prism has printed so far (its log: one block of lines per request). */
  output(): string
  stop(): Promise<void>
}

/** Prism on 127.0.0.1:`port` in front of `upstream`; resolves once it says it is listening. */
export async function startPrismProxy(upstream: string, port: number): Promise<PrismProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-prism-'))
  const document = join(dir, 'bundle.yaml')
  copyFileSync(BUNDLE, document)
  const child = spawn(
    process.execPath,
    // --errors: a response that violates the bundle is answered 500 VIOLATIONS instead of
    // being passed on, so the suite case that made it fails. --validate-request false: the
    // suites send invalid requests on purpose, and the mock's own 400 for them is what must
    // be checked — with request validation on, Prism would answer them itself (422).
    [PRISM_CLI, 'proxy', document, upstream, '--errors', '--validate-request', 'false', '--host', '127.0.0.1', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  killedOnExit(child)
  const stopAndClean = async (): Promise<void> => {
    await stopChild(child)
    rmSync(dir, { recursive: true, force: true })
  }
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const url = `http://127.0.0.1:${port}`
  try {
    await listening(child, () => output)
  } catch (error) {
    await stopAndClean()
    throw error
  }
  return { url, output: () => output, stop: stopAndClean }
}

function listening(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`Prism did not start within ${START_TIMEOUT_MS / 1000} s:\n${output()}`)), START_TIMEOUT_MS)
    const onData = (): void => {
      if (output().includes('Prism is listening on')) finish()
    }
    const onExit = (code: number | null): void => finish(new Error(`Prism exited (code ${code}) before listening:\n${output()}`))
    const finish = (error?: Error): void => {
      clearTimeout(timer)
      child.stdout!.off('data', onData)
      child.off('exit', onExit)
      if (error) reject(error)
      else resolve()
    }
    child.stdout!.on('data', onData)
    child.once('exit', onExit)
  })
}
