// `authconform verify --image`: the implementation under test runs as a container for the
// length of the run. It is stopped whatever happens — success, failure, error or Ctrl-C —
// and its logs end up in the report directory beside the results.
import { execFileSync } from 'node:child_process'
import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { Transform } from 'node:stream'
import { finished } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers'
import { UsageError } from '../errors/usage-error.ts'
import { redactText } from '../reports/redact.ts'
import { requireContainerEngine } from './engine.ts'
import { freePort } from '../support/free-port.ts'

export const DISCOVERY_PATH = '/.well-known/auth-configuration'
/** Handed to the container: the base URL the run reaches it at. */
export const PUBLIC_URL_VARIABLE = 'AUTHCONFORM_PUBLIC_URL'
export const CONTAINER_LOG_FILE = 'container.log'

export interface ImageTargetOptions {
  image: string
  containerPort: number
  env?: Record<string, string>
  reportDir: string
  /** Redacted from the container log, besides what reports always redact (the admin secret…). */
  secrets?: string[]
  /** How long the discovery endpoint may take to answer 200. Default 60 s. */
  startupTimeoutMs?: number
}

export interface ImageTarget {
  /** Base URL of the running implementation, e.g. http://127.0.0.1:39123 */
  url: string
  /** Stops and removes the container; safe to call more than once. */
  stop(): Promise<void>
}

/** A usage error too (exit code 2, one line): a missing image or a target that never answers. */
export class ImageTargetError extends UsageError {
  constructor(image: string, cause: unknown) {
    super(`could not start ${image}: ${firstLine(cause)}`)
    this.name = 'ImageTargetError'
    this.cause = cause
  }
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const

/** Remembers the container's id as soon as it exists, so Ctrl-C during start-up can remove it. */
class TrackedContainer extends GenericContainer {
  createdId: string | undefined

  protected override async containerCreated(containerId: string): Promise<void> {
    this.createdId = containerId
  }
}

export async function startImageTarget(options: ImageTargetOptions): Promise<ImageTarget> {
  const engine = await requireContainerEngine()
  const hostPort = await freePort()
  const url = `http://${engine.info.containerRuntime.host}:${hostPort}`
  await mkdir(options.reportDir, { recursive: true })
  const log = createWriteStream(path.join(options.reportDir, CONTAINER_LOG_FILE))

  const container = new TrackedContainer(options.image)
    .withExposedPorts({ container: options.containerPort, host: hostPort })
    .withEnvironment({ [PUBLIC_URL_VARIABLE]: url, ...options.env })
    .withWaitStrategy(Wait.forHttp(DISCOVERY_PATH, options.containerPort).forStatusCode(200))
    .withStartupTimeout(options.startupTimeoutMs ?? 60_000)
    .withLogConsumer((stream) => stream.pipe(redactLogLines(options.secrets ?? [])).pipe(log))

  let started: StartedTestContainer | undefined
  let stopping: Promise<void> | undefined
  const detach = () => {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal)
    process.off('exit', removeNow)
  }
  // Ctrl-C and process.exit() leave no turn of the event loop (vitest exits right after
  // its own SIGINT handler), so these paths remove the container synchronously.
  function removeNow(): void {
    detach()
    if (stopping === undefined && container.createdId !== undefined) {
      stopping = Promise.resolve()
      removeContainerSync(container.createdId)
    }
  }
  function onSignal(signal: NodeJS.Signals): void {
    removeNow()
    // Then the signal ends the process as it would have. Other handlers may not: the one
    // signal-exit (a testcontainers dependency) installs only re-raises when it is alone.
    process.kill(process.pid, signal)
  }
  for (const signal of STOP_SIGNALS) process.once(signal, onSignal)
  process.once('exit', removeNow)

  const stop = (): Promise<void> => {
    detach()
    stopping ??= (async () => {
      try {
        if (started) await started.stop({ timeout: 5_000 })
        else if (container.createdId !== undefined) removeContainerSync(container.createdId)
      } finally {
        await closeLog(log)
      }
    })()
    return stopping
  }

  try {
    started = await container.start()
  } catch (error) {
    await stop()
    throw new ImageTargetError(options.image, error)
  }
  return { url, stop }
}

const REMOVE_SCRIPT = fileURLToPath(new URL('./remove-container.js', import.meta.url))

function removeContainerSync(id: string): void {
  try {
    execFileSync(process.execPath, [REMOVE_SCRIPT, id], { stdio: 'ignore', timeout: 20_000 })
  } catch {
    // Already gone (testcontainers removes a container that failed to start), or the
    // engine is unreachable: nothing more can be done on the way out.
  }
}

/** The log stream ends when the container stops; don't wait forever if it does not. */
async function closeLog(log: WriteStream): Promise<void> {
  const ended = finished(log).catch(() => undefined)
  const timer = setTimeout(() => log.end(), 2_000)
  await ended
  clearTimeout(timer)
}

/**
 * The report directory's redaction (secrets, tokens, credentials) applied to the log line
 * by line, so that a secret split across two chunks is still found.
 */
export function redactLogLines(secrets: readonly string[]): Transform {
  let pending = ''
  return new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      const lines = (pending + chunk.toString()).split('\n')
      pending = lines.pop() ?? ''
      done(null, lines.map((line) => `${redactText(line, secrets)}\n`).join(''))
    },
    flush(done) {
      done(null, redactText(pending, secrets))
    },
  })
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0] ?? message
}
