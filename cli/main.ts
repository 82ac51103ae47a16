// authconform's entry point: dispatches a subcommand and turns its outcome into an exit
// code. Every subcommand module exports `run(argv): Promise<number>` (argv without the
// subcommand name); usage errors become one line on stderr and exit code 2.
import { readFileSync } from 'node:fs'
import { UsageError } from '../errors/usage-error.ts'
import { reportUsageError } from './usage-error.ts'

interface CommandModule {
  run(argv: string[]): Promise<number>
}

// Loaded lazily so that `authconform mock` does not pay for the suites' imports (and the
// other way round).
const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  mock: {
    summary: 'run the stateful mock server',
    load: () => import('./mock-command.ts'),
  },
  verify: {
    summary: 'run the conformance suites against a target',
    load: () => import('./verify-command.ts'),
  },
}

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
  if (first === undefined) return reportUsageError('', new UsageError('missing command'))
  if (first === '-h' || first === '--help' || first === 'help') {
    process.stdout.write(HELP)
    return 0
  }
  if (first === '-v' || first === '--version') {
    process.stdout.write(`${version()}\n`)
    return 0
  }
  const command = COMMANDS[first]
  if (!command) {
    return reportUsageError('', new UsageError(`unknown command '${first}'`))
  }
  try {
    const module = await command.load()
    return await module.run(rest)
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError(first, error)
    throw error
  }
}

process.exitCode = await main(process.argv.slice(2))
