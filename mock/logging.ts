// The mock's logger: pino, pretty in a terminal, JSON lines otherwise (containers, CI).
// The HTTP layer logs one line per request with method, path, status, duration and
// subject. Nothing else about a request is logged — no headers, no bodies, no query
// strings — so secrets, passwords and tokens have no way into the log; the redaction
// list below is the second line of defence for anything logged by mistake. (The request
// line, whose fields are fixed and none of them on that list, skips that pass: it ran
// on every request and changed nothing — see requestLineLogger.)
import { pino, type Logger, type LevelWithSilent } from 'pino'
import pretty from 'pino-pretty'
import { stdoutLines } from './stdout-lines.ts'

export type LogLevel = LevelWithSilent
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-control-token"]',
  'headers.authorization',
  'authorization',
  '*.password',
  '*.api_secret',
  '*.secret',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  'body',
  '*.body',
]

export interface LoggerOptions {
  level: LogLevel
  /** Human-readable output; defaults to "stdout is a terminal". */
  pretty?: boolean
  /** Where JSON lines go (tests pass a collecting stream); defaults to stdout. */
  destination?: NodeJS.WritableStream
}

/** Whether a logger at its current level writes lines of `level` (a silent one: none). */
export function logsAt(logger: { level: string }, level: Exclude<LogLevel, 'silent'>): boolean {
  const current = pino.levels.values[logger.level]
  return current !== undefined && current <= pino.levels.values[level]!
}

export function createLogger({ level, pretty: prettyOutput, destination }: LoggerOptions): Logger {
  const options = {
    level,
    base: { name: 'authconform-mock' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  }
  const usePretty = prettyOutput ?? (destination === undefined && process.stdout.isTTY === true)
  if (usePretty) {
    return pino(options, pretty({ colorize: true, ignore: 'pid,hostname,name', translateTime: 'SYS:HH:MM:ss' }))
  }
  return pino(options, destination ?? stdoutLines())
}

/**
 * The logger of the per-request line: the same destination and fields, without the
 * redaction pass. That line is built of method, path (no query string), status,
 * duration, subject id and request id, none of them a redacted name; redaction cost a
 * fifth of the logging CPU per request and could not change that line.
 */
export function requestLineLogger<L extends { child(bindings: Record<string, never>, options: { redact: string[] }): L }>(logger: L): L {
  return logger.child({}, { redact: [] })
}
