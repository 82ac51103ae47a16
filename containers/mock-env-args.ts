// A container is configured through its environment more naturally than through its
// command (`docker run -e`, `verify --image --env`, CI service definitions), so the mock
// image turns AUTHCONFORM_* variables into `authconform mock` flags.

type Env = Record<string, string | undefined>

/** Each variable and the flags it becomes; empty or unset variables add nothing. */
const ENV_FLAGS: ReadonlyArray<readonly [name: string, toFlags: (value: string) => string[]]> = [
  ['AUTHCONFORM_HOST', (v) => ['--host', v]],
  ['AUTHCONFORM_PORT', (v) => ['--port', v]],
  ['AUTHCONFORM_PUBLIC_URL', (v) => ['--public-url', v]],
  ['AUTHCONFORM_PROFILE', (v) => ['--profile', v]],
  ['AUTHCONFORM_ADMIN_KEY', (v) => ['--admin-key', v]],
  ['AUTHCONFORM_ADMIN_SECRET', (v) => ['--admin-secret', v]],
  ['AUTHCONFORM_ACCESS_TTL', (v) => ['--access-ttl', v]],
  ['AUTHCONFORM_REFRESH_TTL', (v) => ['--refresh-ttl', v]],
  // A control token only makes sense with the control extension on, so it turns it on.
  ['AUTHCONFORM_CONTROL_TOKEN', (v) => ['--control', '--control-token', v]],
  ['AUTHCONFORM_RATE_LIMITS', (v) => splitList(v).flatMap((limit) => ['--rate-limit', limit])],
  ['AUTHCONFORM_DEFECTS', (v) => splitList(v).flatMap((name) => ['--defect', name])],
  ['AUTHCONFORM_LOG_LEVEL', (v) => ['--log-level', v]],
  // One mock over many containers (replicas behind a balancer), or many cores of one.
  ['AUTHCONFORM_STORE', (v) => ['--store', v]],
  ['AUTHCONFORM_WORKERS', (v) => ['--workers', v]],
]

export const MOCK_ENV_VARIABLES = ENV_FLAGS.map(([name]) => name)

export function mockArgsFromEnv(env: Env): string[] {
  return ENV_FLAGS.flatMap(([name, toFlags]) => {
    const value = env[name]?.trim()
    return value ? toFlags(value) : []
  })
}

function splitList(value: string): string[] {
  return value.split(/[\s,]+/).filter((item) => item.length > 0)
}
