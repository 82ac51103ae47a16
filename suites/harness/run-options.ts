// The verify command's options from their three sources — flags, AUTHCONFORM_* variables
// and authconform.config.{json,yaml} — merged with flags winning over the environment and
// the environment over the file. Every source speaks the flags' names; every value is
// validated in one place, so a bad value reads the same wherever it came from.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { REQUIREMENT_AREAS, requirements as catalogue, type RequirementArea } from '../../openapi/contract.ts'
import { UsageError } from '../../errors/usage-error.ts'
import { TIME_STRATEGIES, type TimeStrategy } from './target-config.ts'

export interface VerifyOptions {
  target: string | undefined
  adminKey: string | undefined
  adminSecret: string | undefined
  /** undefined: chosen from discovery (control, else wait when the TTLs fit, else skip). */
  time: TimeStrategy | undefined
  maxWaitSeconds: number
  areas: RequirementArea[]
  /** Only the cases of these requirement IDs run (undefined: every case of the areas). */
  requirements: string[] | undefined
  reportDir: string
  seed: number
  timeoutMs: number
  budgetSeconds: number
  controlToken: string | undefined
  expectedFailures: string | undefined
  strict: boolean
  /** MUST cases that were not verified (time strategy, set-up) do not make the run incomplete. */
  allowUnverified: boolean
  keep: boolean
  /** The target's wire format, when it is not the contract's own: a built-in profile's name or a profile file. */
  profile: string | undefined
  /** The provider-states endpoint (absolute URL) for set-up without an admin API. */
  setupUrl: string | undefined
}

/** Every option: its flag name (also the config key) and how to read a raw value. */
export const OPTION_SPECS = {
  target: { type: 'string', env: 'AUTHCONFORM_TARGET', help: 'base URL of the target (default: start the embedded mock)' },
  'admin-key': { type: 'string', env: 'AUTHCONFORM_ADMIN_KEY', help: 'id of an admin API key of the target' },
  'admin-secret': { type: 'string', env: 'AUTHCONFORM_ADMIN_SECRET', help: 'its secret' },
  time: { type: 'string', env: 'AUTHCONFORM_TIME', help: 'control|wait|skip: how expiry cases get time to pass' },
  'max-wait': { type: 'string', env: 'AUTHCONFORM_MAX_WAIT', help: 'seconds a case may really wait with --time wait (120)' },
  areas: { type: 'string', env: 'AUTHCONFORM_AREAS', help: `comma-separated subset of ${REQUIREMENT_AREAS.join(',')}` },
  requirements: { type: 'string', env: 'AUTHCONFORM_REQUIREMENTS', help: 'comma-separated requirement IDs: run only their cases' },
  'report-dir': { type: 'string', env: 'AUTHCONFORM_REPORT_DIR', help: 'where the reports go (reports/)' },
  seed: { type: 'string', env: 'AUTHCONFORM_SEED', help: 'seed of the generated test data (random)' },
  'timeout-ms': { type: 'string', env: 'AUTHCONFORM_TIMEOUT_MS', help: 'per-request timeout (10000)' },
  budget: { type: 'string', env: 'AUTHCONFORM_BUDGET', help: 'seconds the whole run may take (1800)' },
  'control-token': { type: 'string', env: 'AUTHCONFORM_CONTROL_TOKEN', help: 'X-Control-Token for the control extension' },
  'expected-failures': { type: 'string', env: 'AUTHCONFORM_EXPECTED_FAILURES', help: 'YAML/JSON list of {id, reason} known failures' },
  strict: { type: 'boolean', env: 'AUTHCONFORM_STRICT', help: 'SHOULD failures fail the run too' },
  'allow-unverified': { type: 'boolean', env: 'AUTHCONFORM_ALLOW_UNVERIFIED', help: 'pass (exit 0) although MUST cases were not verified' },
  keep: { type: 'boolean', env: 'AUTHCONFORM_KEEP', help: 'leave the created test data on the target' },
  profile: { type: 'string', env: 'AUTHCONFORM_PROFILE', help: 'NAME|FILE: the wire format the target speaks (built-in: authconform, machinable, …)' },
  'setup-url': { type: 'string', env: 'AUTHCONFORM_SETUP_URL', help: "provider-states endpoint for set-up without an admin API (default: the profile's)" },
} as const

export type OptionName = keyof typeof OPTION_SPECS
export type RawOptions = Partial<Record<OptionName, string | boolean>>

export const CONFIG_FILES = ['authconform.config.json', 'authconform.config.yaml', 'authconform.config.yml']

/** Reads the first config file present in `dir` (none → {}). */
export function readConfigFile(dir: string): RawOptions {
  const file = CONFIG_FILES.map((name) => resolve(dir, name)).find((path) => existsSync(path))
  if (!file) return {}
  let parsed: unknown
  try {
    parsed = parseYaml(readFileSync(file, 'utf8')) // YAML is a superset of JSON
  } catch (error) {
    throw new UsageError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'} (${firstLine(error)})`)
  }
  if (parsed === null || parsed === undefined) return {}
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`${file}: expected a mapping of option names to values`)
  const raw: RawOptions = {}
  for (const [name, value] of Object.entries(parsed)) {
    if (!(name in OPTION_SPECS)) throw new UsageError(`${file}: unknown option '${name}'`)
    raw[name as OptionName] = normaliseConfigValue(name, value, file)
  }
  return raw
}

function normaliseConfigValue(name: string, value: unknown, file: string): string | boolean {
  if (typeof value === 'boolean' || typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  if (name === 'areas' && Array.isArray(value)) return value.join(',')
  throw new UsageError(`${file}: option '${name}' has an unsupported value`)
}

export function readEnvironment(env: NodeJS.ProcessEnv): RawOptions {
  const raw: RawOptions = {}
  for (const [name, spec] of Object.entries(OPTION_SPECS)) {
    const value = env[spec.env]
    if (value !== undefined && value !== '') raw[name as OptionName] = value
  }
  return raw
}

/** Flags over environment over config file, then validated. */
export function resolveOptions(sources: { flags: RawOptions; env: RawOptions; file: RawOptions }): VerifyOptions {
  const raw: RawOptions = { ...sources.file, ...sources.env, ...sources.flags }
  const text = (name: OptionName) => {
    const value = raw[name]
    return value === undefined || value === '' ? undefined : String(value)
  }
  const time = text('time')
  if (time !== undefined && !TIME_STRATEGIES.includes(time as TimeStrategy)) {
    throw new UsageError(`--time must be one of ${TIME_STRATEGIES.join(', ')}, not '${time}'`)
  }
  const target = text('target')
  if (target !== undefined && !isHttpUrl(target)) throw new UsageError(`--target must be an http(s) URL, not '${target}'`)
  const adminKey = text('admin-key')
  const adminSecret = text('admin-secret')
  const profile = text('profile')
  // Under a profile the admin key may come from the provider-states endpoint instead (checked once the profile is loaded).
  if (target !== undefined && profile === undefined && (adminKey === undefined || adminSecret === undefined)) {
    throw new UsageError('--target needs --admin-key and --admin-secret (or AUTHCONFORM_ADMIN_KEY/_SECRET)')
  }
  if ((adminKey === undefined) !== (adminSecret === undefined)) throw new UsageError('--admin-key and --admin-secret go together')
  const setupUrl = text('setup-url')
  if (setupUrl !== undefined && !isHttpUrl(setupUrl)) throw new UsageError(`--setup-url must be an http(s) URL, not '${setupUrl}'`)
  const selected = requirementIds(text('requirements'))
  return {
    target: target?.replace(/\/+$/, ''),
    adminKey,
    adminSecret,
    time: time as TimeStrategy | undefined,
    maxWaitSeconds: integer('max-wait', text('max-wait'), 120, 0),
    // Without --areas, a requirement selection runs in the areas of its requirements.
    areas: selected && text('areas') === undefined ? areasOf(selected) : areas(text('areas')),
    requirements: selected,
    reportDir: text('report-dir') ?? 'reports',
    seed: integer('seed', text('seed'), Math.floor(Math.random() * 2 ** 31), 0),
    timeoutMs: integer('timeout-ms', text('timeout-ms'), 10_000, 1),
    budgetSeconds: integer('budget', text('budget'), 1800, 1),
    controlToken: text('control-token'),
    expectedFailures: text('expected-failures'),
    strict: flag('strict', raw.strict),
    allowUnverified: flag('allow-unverified', raw['allow-unverified']),
    keep: flag('keep', raw.keep),
    profile,
    setupUrl,
  }
}

function integer(name: string, value: string | undefined, fallback: number, minimum: number): number {
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value.trim()) || Number(value) < minimum || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name} must be a whole number ≥ ${minimum}, not '${value}'`)
  }
  return Number(value)
}

function flag(name: string, value: string | boolean | undefined): boolean {
  if (value === undefined || typeof value === 'boolean') return value ?? false
  if (/^(1|true|yes|on)$/i.test(value)) return true
  if (/^(0|false|no|off)$/i.test(value)) return false
  throw new UsageError(`--${name} must be true or false, not '${value}'`)
}

function areas(value: string | undefined): RequirementArea[] {
  if (value === undefined) return [...REQUIREMENT_AREAS]
  const names = value.split(',').map((name) => name.trim()).filter(Boolean)
  const unknown = names.filter((name) => !REQUIREMENT_AREAS.includes(name as RequirementArea))
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(`--areas takes a comma-separated subset of ${REQUIREMENT_AREAS.join(',')}, not '${value}'`)
  }
  return [...new Set(names)] as RequirementArea[]
}

function requirementIds(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const ids = [...new Set(value.split(',').map((id) => id.trim().toUpperCase()).filter(Boolean))]
  const unknown = ids.filter((id) => !catalogue.some((requirement) => requirement.id === id))
  if (unknown.length > 0 || ids.length === 0) {
    throw new UsageError(`--requirements takes comma-separated requirement IDs such as AUTH-006, not '${value}'`)
  }
  return ids
}

function areasOf(ids: readonly string[]): RequirementArea[] {
  return REQUIREMENT_AREAS.filter((area) => catalogue.some((requirement) => requirement.area === area && ids.includes(requirement.id)))
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!
}
