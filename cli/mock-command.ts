// `authconform mock`: starts the stateful mock server, prints where it is and which admin
// credentials it accepts, and runs until SIGINT/SIGTERM. With a shared store it is one
// replica of a mock; with --workers, that many replicas on one port (mock-workers.ts).
import cluster from 'node:cluster'
import { parseArgs } from 'node:util'
import { DEFECTS, DefectError, defectHooks } from '../mock/defects/catalogue.ts'
import { KEY_ID_PATTERN, KEY_SECRET_PATTERN } from '../mock/domain/secrets.ts'
import { FixtureError } from '../mock/fixtures/load-fixtures.ts'
import { LOG_LEVELS, type LogLevel } from '../mock/logging.ts'
import { DEFAULT_RATE_LIMITS } from '../mock/domain/defaults.ts'
import { RATE_LIMIT_SCOPES, type MockOptions, type RateLimitOverride } from '../mock/options.ts'
import { redacted } from '../mock/replication/store-url.ts'
import type { RunningMock } from '../mock/server.ts'
import { UsageError } from '../errors/usage-error.ts'
import { reportReady, runWorkers, type Ready } from './mock-workers.ts'
import { usageErrorFromParseArgs } from './usage-error.ts'
import { profileNamed } from '../profiles/profile.ts'
import { ProfileError, UnknownProfileError } from '../profiles/profile-error.ts'

/** The variable that names the shared store when --store is not given. */
export const STORE_VARIABLE = 'AUTHCONFORM_STORE'

/** The scopes and what each counts per, for messages: "token per credential|address, …". */
const RATE_LIMIT_ENTRIES = RATE_LIMIT_SCOPES.map(
  (scope) => `${scope} per ${DEFAULT_RATE_LIMITS.filter((rule) => rule.scope === scope).map((rule) => rule.per).join('|')}`,
).join(', ')

// One table for parsing and help, so that a new flag (--defect, --list-defects) is one entry.
const FLAGS = {
  port: { type: 'string', value: 'N', help: 'TCP port, 0 = any free port (default 4010)' },
  host: { type: 'string', value: 'HOST', help: 'interface to listen on (default 127.0.0.1; 0.0.0.0 for all)' },
  'public-url': { type: 'string', value: 'URL', help: 'base URL announced as issuer (default: the listening URL)' },
  profile: {
    type: 'string',
    value: 'NAME|FILE',
    help: 'answer another wire format: a built-in profile (authconform, machinable, …) or a profile file (also AUTHCONFORM_PROFILE)',
  },
  fixtures: { type: 'string', value: 'FILE', help: "fixture file (default fixtures/default.yaml, or the profile's)" },
  'admin-key': { type: 'string', value: 'ID', help: 'bootstrap the admin key with this id (with --admin-secret)' },
  'admin-secret': { type: 'string', value: 'SECRET', help: 'the admin key\'s secret, sk_ + 40 letters/digits' },
  'access-ttl': { type: 'string', value: 'SECONDS', help: 'access token lifetime (default 3600)' },
  'refresh-ttl': { type: 'string', value: 'SECONDS', help: 'refresh token lifetime (default 43200)' },
  'rate-limit': {
    type: 'string',
    multiple: true,
    value: 'SCOPE[/PER]=LIMIT/WINDOW',
    help: `override a scope's limits, e.g. token=5/60, or one of them, e.g. signin/address=150/60 (${RATE_LIMIT_ENTRIES}; repeatable)`,
  },
  store: {
    type: 'string',
    value: 'URL',
    help: "share state with every process given the same store: redis://HOST:PORT/DB (default $AUTHCONFORM_STORE, else this process's memory)",
  },
  workers: { type: 'string', value: 'N', help: 'serve from N processes on one port, sharing the --store (one per core)' },
  control: { type: 'boolean', help: 'enable the test-control extension (/__control/*, loopback callers only)' },
  'control-token': { type: 'string', value: 'TOKEN', help: 'enable it for any address presenting X-Control-Token: TOKEN' },
  'log-level': { type: 'string', value: 'LEVEL', help: `${LOG_LEVELS.join('|')} (default info)` },
  quiet: { type: 'boolean', help: 'log warnings and errors only (no request lines)' },
  defect: {
    type: 'string',
    multiple: true,
    value: 'NAME',
    help: 'switch on a named defect: a deliberately broken mock for testing suites (repeatable)',
  },
  'list-defects': { type: 'boolean', help: 'list the named defects and the requirements each must fail, then exit' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const

/** One line per flag, the help texts in one column after the longest flag. */
function flagLines(): string {
  const labelled = Object.entries(FLAGS).map(([name, flag]) => {
    const short = 'short' in flag ? `-${flag.short}, ` : '    '
    return { label: `${short}--${name}${'value' in flag ? ` ${flag.value}` : ''}`, help: flag.help }
  })
  const width = Math.max(...labelled.map(({ label }) => label.length))
  return labelled.map(({ label, help }) => `  ${label.padEnd(width)}  ${help}`).join('\n')
}

const HELP = `Usage: authconform mock [options]

Runs the stateful mock server of the authconform contract. With --profile it answers
another system's wire format (profiles/README.md) from the same domain, clock, fixtures,
rate limits and control extension.

Options:
${flagLines()}

The admin credentials in use are printed at start; the fixtures' ones are public
development credentials.
`

export interface MockCommand extends MockOptions {
  /** Processes serving one port over the shared store (cluster workers of this one). */
  workers?: number
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseMockArgs(argv)
  if (parsed === 'help') {
    process.stdout.write(HELP)
    return 0
  }
  if (parsed === 'list-defects') {
    process.stdout.write(defectList())
    return 0
  }
  const { workers, ...options } = parsed
  // The primary of --workers serves nothing itself: it does not even load the server.
  if (workers !== undefined && cluster.isPrimary) return runWorkers(workers, (ready) => banner(ready, parsed))
  try {
    return await serve(options, parsed)
  } finally {
    // A worker's channel to its primary would keep it running — also one that failed to
    // start, whose primary then waited for it for ever instead of reporting its exit. (The
    // worker's own disconnect, unlike process.disconnect, keeps the exit code: cluster
    // exits a worker whose channel closes unasked with 0.)
    if (cluster.worker?.isConnected()) cluster.worker.disconnect()
  }
}

/** Runs one mock (alone, or as a worker) until a signal; the exit code. */
async function serve(options: Omit<MockCommand, 'workers'>, parsed: MockCommand): Promise<number> {
  const { createMock, MockListenError } = await import('../mock/server.ts')
  const { StoreConnectError } = await import('../mock/replication/redis-link.ts')
  const { StoreMismatchError } = await import('../mock/replication/shared-state.ts')
  let mock: RunningMock
  try {
    mock = await createMock(options)
  } catch (error) {
    if (error instanceof FixtureError) throw new UsageError(error.message)
    if (error instanceof MockListenError || error instanceof StoreConnectError || error instanceof StoreMismatchError) {
      process.stderr.write(`authconform mock: ${error.message}\n`)
      return 1
    }
    throw error
  }
  if (cluster.isWorker) reportReady(mock)
  else process.stdout.write(banner(mock, parsed))
  await signalled()
  await mock.close()
  return 0
}

/** The options of a command line, or 'help' / 'list-defects'. Throws UsageError on anything invalid. */
export function parseMockArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): MockCommand | 'help' | 'list-defects' {
  let values
  try {
    ;({ values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }))
  } catch (error) {
    throw usageErrorFromParseArgs(error) ?? error
  }
  if (values.help) return 'help'
  if (values['list-defects']) return 'list-defects'
  if ((values['admin-key'] === undefined) !== (values['admin-secret'] === undefined)) {
    throw new UsageError('--admin-key and --admin-secret go together')
  }
  if (values.quiet && values['log-level'] !== undefined) throw new UsageError('use either --quiet or --log-level')
  const profile = values.profile ?? (env.AUTHCONFORM_PROFILE?.trim() || undefined)
  const store = values.store ?? (env[STORE_VARIABLE]?.trim() || undefined)
  if (values.workers !== undefined && store === undefined) {
    throw new UsageError(`--workers needs a shared store (--store redis://HOST:PORT/DB or ${STORE_VARIABLE}): processes with a memory each would be different mocks`)
  }
  return {
    ...(profile !== undefined && { profile: loadProfile(profile) }),
    port: integer('--port', values.port ?? '4010', 0, 65535),
    host: values.host ?? '127.0.0.1',
    ...(values['public-url'] !== undefined && { publicUrl: httpUrl('--public-url', values['public-url']) }),
    ...(values.fixtures !== undefined && { fixtures: values.fixtures }),
    ...(values['admin-key'] !== undefined && {
      adminKey: matching('--admin-key', values['admin-key'], KEY_ID_PATTERN),
      adminSecret: matching('--admin-secret', values['admin-secret']!, KEY_SECRET_PATTERN),
    }),
    ...(values['access-ttl'] !== undefined && { accessTtl: integer('--access-ttl', values['access-ttl'], 1) }),
    ...(values['refresh-ttl'] !== undefined && { refreshTtl: integer('--refresh-ttl', values['refresh-ttl'], 1) }),
    rateLimits: (values['rate-limit'] ?? []).map(rateLimit),
    // A control token is an explicit decision to open the extension.
    control: values.control === true || values['control-token'] !== undefined,
    ...(values['control-token'] !== undefined && { controlToken: nonEmpty('--control-token', values['control-token']) }),
    logLevel: values.quiet ? 'warn' : logLevel(values['log-level'] ?? 'info'),
    ...(values.defect !== undefined && { defects: defects(values.defect) }),
    ...(store !== undefined && { store: storeUrl(values.store === undefined ? STORE_VARIABLE : '--store', store) }),
    ...(values.workers !== undefined && { workers: integer('--workers', values.workers, 1, 256) }),
  }
}

/** `redis://[[user]:password@]HOST[:PORT][/DB]` (or rediss:// for TLS). */
function storeUrl(flag: string, value: string): string {
  const url = parsedUrl(value)
  const database = url?.pathname.replace(/^\//, '') ?? ''
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '' || !/^\d{0,5}$/.test(database) || url.search !== '') {
    throw new UsageError(`${flag} must be a Redis URL, redis://HOST:PORT/DB, got '${redacted(value)}'`)
  }
  return value
}

function loadProfile(nameOrFile: string) {
  try {
    return profileNamed(nameOrFile)
  } catch (error) {
    if (error instanceof ProfileError || error instanceof UnknownProfileError) throw new UsageError(`--profile: ${error.message}`)
    throw error
  }
}

function defects(names: string[]): string[] {
  try {
    defectHooks(names)
  } catch (error) {
    if (error instanceof DefectError) throw new UsageError(`--defect: ${error.message}`)
    throw error
  }
  return names
}

function defectList(): string {
  const width = Math.max(...DEFECTS.map((defect) => defect.name.length))
  const rows = DEFECTS.map(
    (defect) => `  ${defect.name.padEnd(width)}  ${defect.description}\n  ${' '.repeat(width)}  must fail: ${defect.requirements.join(', ')}`,
  )
  return `Named defects (authconform mock --defect NAME, repeatable):\n\n${rows.join('\n')}\n`
}

function integer(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`
    throw new UsageError(`${flag} must be ${range}, got '${text}'`)
  }
  return value
}

function rateLimit(text: string): RateLimitOverride {
  const match = /^([a-z_]+)(?:\/([a-z]+))?=(\d+)\/(\d+)$/.exec(text)
  const scope = match?.[1] as RateLimitOverride['scope'] | undefined
  const per = match?.[2] as RateLimitOverride['per'] | undefined
  const known = DEFAULT_RATE_LIMITS.some((rule) => rule.scope === scope && (per === undefined || rule.per === per))
  if (!match || !scope || !known) {
    throw new UsageError(`--rate-limit must be SCOPE=LIMIT/WINDOW or SCOPE/PER=LIMIT/WINDOW (${RATE_LIMIT_ENTRIES}), got '${text}'`)
  }
  const name = per === undefined ? scope : `${scope}/${per}`
  return {
    scope,
    ...(per !== undefined && { per }),
    limit: integer(`--rate-limit ${name} limit`, match[3]!, 1),
    windowSeconds: integer(`--rate-limit ${name} window`, match[4]!, 1),
  }
}

function matching(flag: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value)) throw new UsageError(`${flag} must match ${pattern.source}`)
  return value
}

function nonEmpty(flag: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`${flag} must not be empty`)
  return value
}

function httpUrl(flag: string, value: string): string {
  const url = parsedUrl(value)
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`${flag} must be an http(s) URL, got '${value}'`)
  }
  return value
}

function logLevel(value: string): LogLevel {
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got '${value}'`)
  }
  return value as LogLevel
}

function banner(mock: Ready, options: MockCommand): string {
  const control = !options.control
    ? 'off (start with --control to enable /__control/*)'
    : options.controlToken !== undefined
      ? 'on, for callers sending X-Control-Token'
      : 'on, loopback callers only'
  // Workers report no profile to the primary; it is the one the command line named.
  const profile = mock.profile ?? (typeof options.profile === 'object' ? options.profile : undefined)
  const setup = profile?.document.setup?.provider_states
  return [
    `authconform mock listening on ${mock.url}${profile ? ` — the ${profile.title} wire format (profile ${profile.name})` : ''}`,
    `  admin key:    ${mock.adminKey}`,
    `  admin secret: ${mock.adminSecret}`,
    ...(profile ? [] : [`  docs:         ${mock.docsUrl}`]),
    `  ${profile ? 'wire format: ' : 'contract:    '} ${mock.url}/openapi.json`,
    ...(setup ? [`  set-up:       POST ${mock.url}${setup} (provider states)`] : []),
    `  control:      ${control}`,
    `  store:        ${options.store === undefined ? "this process's memory" : `${redacted(options.store)}, shared by every process given it`}`,
    ...(options.workers !== undefined ? [`  workers:      ${options.workers} processes on one port`] : []),
    ...(mock.defects.length > 0 ? [`  DEFECTS:      ${mock.defects.join(', ')} (deliberately broken; not a reference)`] : []),
    'Stop with Ctrl+C.',
    '',
  ].join('\n')
}

/** Resolves at the first SIGINT or SIGTERM. */
function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve(signal)
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

function parsedUrl(value: string): URL | undefined {
  try {
    return new URL(value)
  } catch {
    return undefined
  }
}
