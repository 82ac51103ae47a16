// What a mock instance can be told, with the defaults the CLI and createMock share.
import { fileURLToPath } from 'node:url'
import { DEFAULT_ACCESS_TOKEN_TTL, DEFAULT_RATE_LIMITS, DEFAULT_REFRESH_TOKEN_TTL } from './domain/defaults.ts'
import type { RateLimitConfig, RateLimitScope } from './domain/types.ts'
import type { LogLevel } from './logging.ts'

export const RATE_LIMIT_SCOPES: readonly RateLimitScope[] = ['token', 'signin', 'signin_failures', 'data']

/** `--rate-limit token=5/60`: sets limit and window of every entry of that scope. */
export interface RateLimitOverride {
  scope: RateLimitScope
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
  /** Enable the test-control extension (/__control/*). Default false. */
  control?: boolean
  /** When set, every control call must carry `X-Control-Token: <token>`, from any address. */
  controlToken?: string
  /**
   * Named defects to switch on (mock/defects/catalogue.ts): a deliberately broken mock, for
   * proving that the suites notice each bug. Default none.
   */
  defects?: string[]
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
    const override = [...overrides].reverse().find((candidate) => candidate.scope === rule.scope)
    return override ? { ...rule, limit: override.limit, windowSeconds: override.windowSeconds } : { ...rule }
  })
}
