// How the CLI turns usage errors (errors/usage-error.ts) into its one line on stderr and
// exit code 2: node:util's parse errors shortened, and the report main() prints.
import { USAGE_EXIT_CODE, UsageError } from '../errors/usage-error.ts'

/**
 * node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes whose messages are
 * long and mention positional-argument tricks; turn them into one short sentence.
 */
export function usageErrorFromParseArgs(error: unknown): UsageError | undefined {
  if (!(error instanceof Error) || !('code' in error)) return undefined
  const code = String(error.code)
  if (!code.startsWith('ERR_PARSE_ARGS_')) return undefined
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(error.message)?.[1] ?? 'option'
    return new UsageError(`unknown option ${option}`)
  }
  // The remaining messages ("Option '--port <value>' argument missing", "Unexpected
  // argument 'x'…") are already short; keep their first sentence.
  // Some span several lines ("…argument is ambiguous.\nDid you forget…"): one line only.
  return new UsageError(error.message.split('\n')[0]!.split('. ')[0]!.replace(/\.$/, ''))
}

/** Reports a usage error as `authconform <command>: <message>` and returns the exit code. */
export function reportUsageError(command: string, error: UsageError): number {
  const prefix = command ? `authconform ${command}` : 'authconform'
  process.stderr.write(`${prefix}: ${error.message} (see ${prefix} --help)\n`)
  return USAGE_EXIT_CODE
}
