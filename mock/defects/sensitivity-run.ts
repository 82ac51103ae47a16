/**
 * One sensitivity run: a mock with the defect switched on (createMock({defects}) — what
 * `authconform mock --defect NAME` runs — in this process, on a free port) and a spawned
 * `authconform verify --target … --requirements …` against it, as a user would run it; the
 * answer is verify's results.json. Runs go through a small pool, a few at a time.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunResults } from '../../reports/results.ts'
import { EMBEDDED_VERIFY_OPTIONS } from '../options.ts'
import { createMock, type RunningMock } from '../server.ts'

const BIN = fileURLToPath(new URL('../../bin/authconform.js', import.meta.url))

export interface RunPlan {
  /** The defect switched on; none: the correct mock (a round trip). */
  defect?: string
  /** The requirements whose cases run (verify --requirements); none: every case. */
  requirements?: readonly string[]
  /** The wire format both sides speak (mock --profile, verify --profile); none: the contract's. */
  profile?: string
  reportDir: string
  seed: number
  budgetSeconds: number
}

export interface RunOutcome {
  plan: RunPlan
  exitCode: number | null
  results: RunResults | undefined
  /** Last lines of verify's stderr/stdout when there are no results (why the run broke). */
  tail: string
  durationMs: number
}

/** Environment without AUTHCONFORM_* settings of the caller, which would steer verify. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AUTHCONFORM_')))
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

async function verify(plan: RunPlan, mock: RunningMock): Promise<{ exitCode: number | null; output: string }> {
  const args = [
    BIN, 'verify',
    '--target', mock.url,
    '--admin-key', mock.adminKey,
    '--admin-secret', mock.adminSecret,
    ...(plan.requirements ? ['--requirements', plan.requirements.join(',')] : []),
    ...(plan.profile ? ['--profile', plan.profile] : []),
    '--report-dir', plan.reportDir,
    '--seed', String(plan.seed),
    '--budget', String(plan.budgetSeconds),
  ]
  const child = spawn(process.execPath, args, { cwd: plan.reportDir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk: Buffer) => {
    // Only the end matters (the final table or the error); keep memory flat.
    output = (output + chunk.toString()).slice(-20_000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  return { exitCode: await exited(child), output }
}

export async function runOnce(plan: RunPlan): Promise<RunOutcome> {
  const started = performance.now()
  await mkdir(plan.reportDir, { recursive: true })
  // The embedded verify's test-build choices (cheap scrypt, smaller limits): the defect is
  // the only difference from the clean run of cli/verify.int.test.ts.
  const mock = await createMock({
    ...EMBEDDED_VERIFY_OPTIONS,
    port: 0,
    control: true,
    defects: plan.defect === undefined ? [] : [plan.defect],
    ...(plan.profile !== undefined && { profile: plan.profile }),
  })
  try {
    const { exitCode, output } = await verify(plan, mock)
    const results = await readFile(join(plan.reportDir, 'results.json'), 'utf8').then(
      (text) => JSON.parse(text) as RunResults,
      () => undefined,
    )
    return { plan, exitCode, results, tail: output.split('\n').slice(-30).join('\n'), durationMs: performance.now() - started }
  } finally {
    await mock.close()
  }
}

/** Runs every plan, at most `concurrency` at once, in plan order of start. */
export async function runAll(plans: readonly RunPlan[], concurrency: number, onDone?: (outcome: RunOutcome) => void): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = new Array(plans.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < plans.length) {
      const index = next++
      outcomes[index] = await runOnce(plans[index]!)
      onDone?.(outcomes[index]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, plans.length) }, worker))
  return outcomes
}
