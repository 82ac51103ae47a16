// authconform's entry point: dispatches a subcommand and turns its outcome into an exit
// code. Every subcommand module exports `run(argv): Promise<number>` (argv without the
// subcommand name); usage errors become one line on stderr and exit code 2.
import { readFileSync } from 'node:fs'
import { UsageError, reportUsageError } from './usage-error.ts'

interface CommandModule {
  run(argv: string[]): Promise<number>
}

// Loaded lazily so that `authconform mock` does not pay for the suites' imports (and the
// other way round), and so that main works while a subcommand is still being written.
const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  mock: {
    summary: 'run the stateful mock server',
    load: () => import('./mock-command.ts'),
  },
  verify: {
    summary: 'run the conformance suites against a target',
    // A variable specifier keeps the type checker from requiring the file to exist.
    load: () => import(VERIFY_MODULE) as Promise<CommandModule>,
  },
}
const VERIFY_MODULE = './verify-command.ts'

const HELP = `Usage: authconform <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(8)} ${summary}`)
  .join('\n')}

Options:
  -h, --help     show this help (authconform <command> --help for a command's options)
  -v, --version  print the version

`

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  return String(pkg.version)
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    process.stdout.write(HELP)
    return first === undefined ? 2 : 0
  }
  if (first === '-v' || first === '--version') {
    process.stdout.write(`${version()}\n`)
    return 0
  }
  const command = COMMANDS[first]
  if (!command) {
    return reportUsageError('', new UsageError(`unknown command '${first}'`))
  }
  let module: CommandModule
  try {
    module = await command.load()
  } catch (error) {
    if (isMissingModule(error)) {
      return reportUsageError(first, new UsageError('this command is not available in this build'))
    }
    throw error
  }
  try {
    return await module.run(rest)
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError(first, error)
    throw error
  }
}

function isMissingModule(error: unknown): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    error.code === 'ERR_MODULE_NOT_FOUND' &&
    error.message.includes('verify-command')
  )
}

process.exitCode = await main(process.argv.slice(2))
