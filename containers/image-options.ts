// The values of `verify --image IMAGE --container-port N --env K=V…`, checked once so that
// a bad one reads as one line whichever source (flag, variable, config file) it came from.
import { UsageError } from '../cli/usage-error.ts'

export const DEFAULT_CONTAINER_PORT = 4010

export interface ImageRunOptions {
  image: string
  containerPort: number
  env: Record<string, string>
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

export function resolveImageOptions(raw: {
  image: string | undefined
  containerPort: string | undefined
  env: readonly string[]
}): ImageRunOptions | undefined {
  if (raw.image === undefined) {
    if (raw.containerPort !== undefined || raw.env.length > 0) {
      throw new UsageError('--container-port and --env go with --image')
    }
    return undefined
  }
  if (raw.image.trim() === '' || /\s/.test(raw.image)) throw new UsageError(`--image must name an image, not '${raw.image}'`)
  return { image: raw.image, containerPort: containerPort(raw.containerPort), env: containerEnv(raw.env) }
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
