// `npm run bench`: runs the benchmarks (all, or --only some), prints their tables, writes
// reports/bench/<name>.json, and exits 1 when a goal is missed. Not part of `npm test`:
// performance goals are checked here, never by timed tests.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { closeHttp } from './http.ts'
import { runLists } from './lists.ts'
import { runMemory } from './memory.ts'
import { runPolicyScaling } from './policy-scaling.ts'
import { runReplicas } from './replicas.ts'
import { BENCH_REPORT_DIR, describeMachine, writeOutcome, type BenchContext, type BenchOutcome } from './report.ts'
import { runThroughput } from './throughput.ts'
import { runVerifyTime } from './verify-time.ts'

const BENCHMARKS: Record<string, (ctx: BenchContext) => Promise<BenchOutcome>> = {
  throughput: runThroughput,
  lists: runLists,
  'policy-scaling': runPolicyScaling,
  'verify-time': runVerifyTime,
  memory: runMemory,
  replicas: runReplicas,
}

const HELP = `Usage: npm run bench -- [--quick] [--only NAME[,NAME…]] [--profile]

  --quick     shorter runs, 20,000 tokens, verify of the auth area only (no verify goal)
  --only      run some benchmarks: ${Object.keys(BENCHMARKS).join(', ')}
  --profile   write V8 CPU profiles of the load targets to reports/bench/profiles/<target>/
`

function parse(argv: string[]): { quick: boolean; only: string[]; profile: boolean } | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: { quick: { type: 'boolean' }, only: { type: 'string' }, profile: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  })
  if (values.help) return 'help'
  const only = values.only === undefined ? Object.keys(BENCHMARKS) : values.only.split(',').map((name) => name.trim())
  const unknown = only.filter((name) => !(name in BENCHMARKS))
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')} (known: ${Object.keys(BENCHMARKS).join(', ')})`)
  return { quick: values.quick === true, only, profile: values.profile === true }
}

async function main(): Promise<number> {
  let args
  try {
    args = parse(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`)
    return 2
  }
  if (args === 'help') {
    process.stdout.write(HELP)
    return 0
  }
  const machine = describeMachine()
  const run = { machine, quick: args.quick, startedAt: new Date().toISOString() }
  const profileDir = args.profile ? join(BENCH_REPORT_DIR, 'profiles') : undefined
  if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true })
  const ctx: BenchContext = { quick: args.quick, profileDir, log: (line) => process.stderr.write(`${line}\n`) }
  process.stdout.write(`authconform benchmarks${args.quick ? ' (quick)' : ''} · ${machine.cpus} × ${machine.model}, ${machine.memoryGiB} GiB · Node ${machine.node} · ${machine.os}\n\n`)

  const started = performance.now()
  const goals = []
  try {
    for (const name of args.only) {
      const outcome = await BENCHMARKS[name]!(ctx)
      const file = writeOutcome(outcome, run)
      process.stdout.write(`${outcome.text}\n→ ${file}\n\n`)
      goals.push(...outcome.goals)
    }
  } catch (error) {
    // A benchmark that cannot run (a target that does not start, a wrong answer) is one line.
    process.stderr.write(`bench: ${(error as Error).message}\n`)
    return 1
  } finally {
    await closeHttp()
  }

  for (const goal of goals) {
    process.stdout.write(`${goal.met ? 'met   ' : 'MISSED'}  ${goal.name}: ${goal.measured} (goal ${goal.target})\n`)
  }
  process.stdout.write(`\n${args.only.length} benchmark(s) in ${Math.round((performance.now() - started) / 1000)} s\n`)
  return goals.every((goal) => goal.met) ? 0 : 1
}

process.exitCode = await main()
