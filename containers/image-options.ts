// The flags of `verify --image IMAGE --container-port N --env K=V…`, checked once so that a
// bad value reads as one line.
import { UsageError } from '../errors/usage-error.ts'

export const DEFAULT_CONTAINER_PORT = 4010

/** node:util parseArgs options, with the help line of each. */
export const IMAGE_FLAGS = {
  image: { type: 'string', help: 'start this container image and verify it (needs Docker or podman)' },
  'container-port': { type: 'string', help: `the port it listens on inside the container (${DEFAULT_CONTAINER_PORT})` },
  env: { type: 'string', multiple: true, help: 'NAME=VALUE for the container (repeatable)' },
} as const

export interface ImageRunOptions {
  image: string
  containerPort: number
  env: Record<string, string>
}

export interface RawImageOptions {
  image?: string
  'container-port'?: string
  env?: string[]
  /** The rest of the resolved verify options, which --image must agree with. */
  target: string | undefined
  adminKey: string | undefined
  adminSecret: string | undefined
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

export function resolveImageOptions(raw: RawImageOptions): ImageRunOptions | undefined {
  const env = raw.env ?? []
  if (raw.image === undefined) {
    if (raw['container-port'] !== undefined || env.length > 0) throw new UsageError('--container-port and --env go with --image')
    return undefined
  }
  if (raw.image.trim() === '' || /\s/.test(raw.image)) throw new UsageError(`--image must name an image, not '${raw.image}'`)
  if (raw.target !== undefined) throw new UsageError('use either --target or --image')
  if (raw.adminKey === undefined || raw.adminSecret === undefined) {
    throw new UsageError("--image needs --admin-key and --admin-secret (an admin key the image's implementation accepts)")
  }
  return { image: raw.image, containerPort: containerPort(raw['container-port']), env: containerEnv(env) }
}

function containerPort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_CONTAINER_PORT
  const port = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`--container-port must be a port from 1 to 65535, not '${text}'`)
  }
  return port
}

/** NAME=VALUE pairs; the value may itself contain '='; a later pair wins. */
function containerEnv(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {}
  for (const pair of pairs) {
    const separator = pair.indexOf('=')
    const name = separator > 0 ? pair.slice(0, separator) : ''
    if (!ENV_NAME.test(name)) throw new UsageError(`--env takes NAME=VALUE, not '${pair}'`)
    env[name] = pair.slice(separator + 1)
  }
  return env
}

export type ImageFlagValues = { image?: string; 'container-port'?: string; env?: string[] }

/** Starts the image for a verify run; testcontainers is loaded only when --image is used. */
export async function startVerifyContainer(image: ImageRunOptions, run: { reportDir: string; secrets: string[] }) {
  const { startImageTarget } = await import('./image-target.ts')
  return startImageTarget({ ...image, ...run })
}
