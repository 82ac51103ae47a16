// What a mock instance can be told, with the defaults the CLI and createMock share.
import { fileURLToPath } from 'node:url'
import { DEFAULT_ACCESS_TOKEN_TTL, DEFAULT_RATE_LIMITS, DEFAULT_REFRESH_TOKEN_TTL } from './domain/defaults.ts'
import type { RateLimitConfig, RateLimitScope } from './domain/types.ts'
import type { LogLevel } from './logging.ts'
import type { Profile } from '../profiles/profile.ts'

export const RATE_LIMIT_SCOPES: readonly RateLimitScope[] = ['token', 'signin', 'signin_failures', 'data']

/** `--rate-limit token=5/60`: sets limit and window of every entry of that scope (or only its `per` entry). */
export interface RateLimitOverride {
  scope: RateLimitScope
  per?: RateLimitConfig['per']
  limit: number
  windowSeconds: number
}

export interface MockOptions {
  /** TCP port; 0 picks a free one. Default 4010. */
  port?: number
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string
  /**
   * The base URL announced as issuer and in discovery links. Default: the listening URL
   * (with a wildcard host shown as 127.0.0.1) — set it when the mock sits behind a port
   * mapping or proxy.
   */
  publicUrl?: string
  /** Fixture file (YAML). Default fixtures/default.yaml of this package. */
  fixtures?: string
  /** Bootstrap the admin key with exactly this id and secret instead of the fixtures' one. */
  adminKey?: string
  adminSecret?: string
  /** Access token lifetime in seconds. Default 3600. */
  accessTtl?: number
  /** Refresh token lifetime in seconds. Default 43200. */
  refreshTtl?: number
  rateLimits?: RateLimitOverride[]
  /** scrypt cost N for the users' passwords. Default 16384. */
  passwordHashCost?: number
  /** Enable the test-control extension (/__control/*). Default false. */
  control?: boolean
  /** When set, every control call must carry `X-Control-Token: <token>`, from any address. */
  controlToken?: string
  /**
   * Named defects to switch on (mock/defects/catalogue.ts): a deliberately broken mock, for
   * proving that the suites notice each bug. Default none.
   */
  defects?: string[]
  /**
   * Answer another system's wire format (profiles/): a built-in profile's name, a profile
   * file, or a loaded profile. Its documented token lifetimes become the defaults of
   * accessTtl and refreshTtl. Default: the contract's own wire format.
   */
  profile?: string | Profile
  /**
   * A shared store, `redis://HOST:PORT/DB`: every process given the same one is one mock
   * (mock/replication/). Default: this process's memory.
   */
  store?: string
  /** Log level. Default 'silent' in process (the CLI defaults to 'info'). */
  logLevel?: LogLevel
  /** Pretty logs; default: stdout is a terminal. */
  prettyLogs?: boolean
  /** Where JSON log lines go (tests). Default stdout. */
  logDestination?: NodeJS.WritableStream
}

export type ResolvedMockOptions = Required<
  Pick<MockOptions, 'port' | 'host' | 'fixtures' | 'accessTtl' | 'refreshTtl' | 'control' | 'logLevel'>
> &
  Omit<MockOptions, 'rateLimits'> & { rateLimits: RateLimitConfig[] }

/**
 * The mock that `authconform verify` embeds when no --target is given, a throw-away target
 * for one run. Two test-build choices keep that run short; neither weakens a case:
 * - passwords are still scrypt, at N = 1024 instead of 16384 (a sixteenth of the work per
 *   hash): every sign-in and user creation of the suites pays it, and DISC-005 sends a
 *   window's worth of sign-ins;
 * - the per-address and per-subject limits are smaller: DISC-005 and ERR-013 send `limit`
 *   requests of each declared limit, discovery declares these, and the suites hold the mock
 *   to exactly what it declares. They stay above what the ordinary suites send before the
 *   first rate-limit file resets the windows (counted from full runs with three seeds:
 *   182 token exchanges, 78 sign-ins, 264–270 data requests of the admin, the busiest
 *   subject) by 1.6×, 1.9× and 1.5×; a suite that sends much more must raise them.
 */
export const EMBEDDED_VERIFY_OPTIONS: Readonly<Pick<MockOptions, 'passwordHashCost' | 'rateLimits'>> = {
  passwordHashCost: 1024,
  rateLimits: [
    { scope: 'token', per: 'address', limit: 300, windowSeconds: 60 },
    { scope: 'signin', per: 'address', limit: 150, windowSeconds: 60 },
    { scope: 'data', per: 'subject', limit: 400, windowSeconds: 60 },
  ],
}

export const DEFAULT_FIXTURES = fileURLToPath(new URL('../fixtures/default.yaml', import.meta.url))

export function resolveOptions(options: MockOptions = {}): ResolvedMockOptions {
  if ((options.adminKey === undefined) !== (options.adminSecret === undefined)) {
    throw new TypeError('adminKey and adminSecret must be given together')
  }
  return {
    ...options,
    port: options.port ?? 4010,
    host: options.host ?? '127.0.0.1',
    fixtures: options.fixtures ?? DEFAULT_FIXTURES,
    accessTtl: options.accessTtl ?? DEFAULT_ACCESS_TOKEN_TTL,
    refreshTtl: options.refreshTtl ?? DEFAULT_REFRESH_TOKEN_TTL,
    control: options.control ?? false,
    logLevel: options.logLevel ?? 'silent',
    rateLimits: applyOverrides(DEFAULT_RATE_LIMITS, options.rateLimits ?? []),
  }
}

function applyOverrides(defaults: readonly RateLimitConfig[], overrides: RateLimitOverride[]): RateLimitConfig[] {
  return defaults.map((rule) => {
    // The last override of a scope wins, as with any repeated flag.
    const override = [...overrides]
      .reverse()
      .find((candidate) => candidate.scope === rule.scope && (candidate.per === undefined || candidate.per === rule.per))
    return override ? { ...rule, limit: override.limit, windowSeconds: override.windowSeconds } : { ...rule }
  })
}
