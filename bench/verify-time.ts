// Verify: wall time of a full `authconform verify` against the embedded mock (a child
// process, as a user runs it), where it goes (phases read off the progress lines as they
// arrive: start-up, vitest's start, the ordinary and the serial suites, the reports), and
// time per case, per area and per file from its results.json.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunResults } from '../reports/results.ts'
import { median, percentile } from './load.ts'
import { procCpuSeconds } from './processes.ts'
import { table, type BenchContext, type BenchOutcome, type Goal } from './report.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const GOAL_SECONDS = 10
const QUICK_AREA = 'auth'

export async function runVerifyTime(ctx: BenchContext): Promise<BenchOutcome> {
  const reportDir = mkdtempSync(join(tmpdir(), 'authconform-bench-verify-'))
  try {
    // --quick verifies one area only: a first look, not the goal's full run.
    const scope = ctx.quick ? ['--areas', QUICK_AREA] : []
    ctx.log(`verify-time: authconform verify (embedded mock), ${ctx.quick ? `area ${QUICK_AREA} only` : 'full run'}`)
    // The machine may be shared: its load says how far the wall time can be trusted.
    const loadBefore = loadavg()[0]!
    const { code, output, lines, wallMs, cpuSeconds } = await runVerify(['--report-dir', reportDir, ...scope])
    const load = [loadBefore, loadavg()[0]!] as const
    const wallSeconds = wallMs / 1000
    let results: RunResults
    try {
      results = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8')) as RunResults
    } catch {
      throw new Error(`verify wrote no results.json (exit code ${code}):\n${output.slice(-2000)}`)
    }
    return summarize(results, { wallSeconds, cpuSeconds, load }, code, !ctx.quick, phasesOf(lines, wallMs))
  } finally {
    rmSync(reportDir, { recursive: true, force: true })
  }
}

interface TimedLine {
  atMs: number
  text: string
}

interface VerifyRun {
  code: number | null
  output: string
  /** stdout lines with the time they arrived (ms after the spawn). */
  lines: TimedLine[]
  wallMs: number
  /** user + system CPU of the verify process (all its threads), NaN without /proc. */
  cpuSeconds: number
}

function runVerify(args: string[]): Promise<VerifyRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const cpuBefore = childrenCpuSeconds()
    const child = spawn(process.execPath, ['bin/authconform.js', 'verify', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    let partial = ''
    const lines: TimedLine[] = []
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      output += text
      const atMs = performance.now() - started
      const parts = (partial + text).split('\n')
      partial = parts.pop() ?? ''
      for (const line of parts) lines.push({ atMs, text: line })
    })
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.once('error', reject)
    // 'close' comes after the child was reaped, so its CPU is in this process's children's times.
    child.once('close', (code) => resolve({ code, output, lines, wallMs: performance.now() - started, cpuSeconds: childrenCpuSeconds() - cpuBefore }))
  })
}

/**
 * The CPU of this process's reaped children. The run is CPU-bound on two cores, so its CPU
 * moves with the code where its wall time moves with the machine's other load.
 */
const childrenCpuSeconds = (): number => procCpuSeconds('self', 'reapedChildren')

/** A progress line names the case's file as `area/file ›`; clock and rate-limit files run serially at the end. */
const PROGRESS = /^\s+\S+ ([a-z]+\/[\w.-]+) › /
const SERIAL_FILE = /\.(clock|ratelimit)$/

interface Phase {
  name: string
  ms: number
}

/** Where the wall time went, from when the progress lines arrived. */
function phasesOf(lines: TimedLine[], wallMs: number): Phase[] {
  const header = lines.find((line) => line.text.startsWith('authconform verify '))
  const cases = lines.flatMap((line) => {
    const file = PROGRESS.exec(line.text)?.[1]
    return file ? [{ atMs: line.atMs, serial: SERIAL_FILE.test(file) }] : []
  })
  if (!header || cases.length === 0) return []
  const lastOrdinary = cases.filter((entry) => !entry.serial).at(-1)?.atMs ?? cases[0]!.atMs
  const last = cases.at(-1)!.atMs
  return [
    { name: 'start-up: process, embedded mock, preflight', ms: header.atMs },
    { name: 'vitest start until the first case ends', ms: cases[0]!.atMs - header.atMs },
    { name: 'ordinary suites (files in parallel)', ms: lastOrdinary - cases[0]!.atMs },
    { name: 'serial suites (clock, rate limit)', ms: last - lastOrdinary },
    { name: 'vitest close, reports, exit', ms: wallMs - last },
  ]
}

interface Measured {
  wallSeconds: number
  cpuSeconds: number
  /** 1-minute load average before and after the run. */
  load: readonly [number, number]
}

function summarize(results: RunResults, { wallSeconds, cpuSeconds, load }: Measured, exitCode: number | null, full: boolean, phases: Phase[]): BenchOutcome {
  const durations = results.cases.map((entry) => entry.durationMs).sort((a, b) => a - b)
  const caseCount = results.cases.length
  // Hooks (beforeAll set-up), file collection and worker start-up are in the wall time only.
  const caseSeconds = durations.reduce((sum, ms) => sum + ms, 0) / 1000
  const byFile = new Map<string, { cases: number; ms: number }>()
  for (const entry of results.cases) {
    const file = byFile.get(entry.file) ?? { cases: 0, ms: 0 }
    file.cases++
    file.ms += entry.durationMs
    byFile.set(entry.file, file)
  }
  const byArea = new Map<string, number>()
  for (const entry of results.cases) byArea.set(entry.area, (byArea.get(entry.area) ?? 0) + entry.durationMs)
  const slowestFiles = [...byFile.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 5)
  const slowestCases = [...results.cases].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5)
  const counts = Object.entries(results.counts)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ')
  const goals: Goal[] = full
    ? [{ name: 'full verify against the embedded mock', target: `< ${GOAL_SECONDS} s`, measured: `${wallSeconds.toFixed(1)} s`, met: wallSeconds < GOAL_SECONDS }]
    : []
  const text = [
    `Verify${full ? '' : ` (area ${QUICK_AREA} only: no goal)`}: ${caseCount} cases (${counts}), verdict ${results.verdict}, exit code ${exitCode}; load average ${load[0].toFixed(1)} → ${load[1].toFixed(1)}`,
    table(
      ['wall s', 'CPU s', 'suite run s', 'sum of case times s', 'wall ms per case', 'case p50 ms', 'case p90 ms', 'case max ms'],
      [[wallSeconds, cpuSeconds, results.run.durationMs / 1000, caseSeconds, (wallSeconds * 1000) / caseCount, median(durations), percentile(durations, 0.9), durations.at(-1) ?? Number.NaN]],
    ),
    'where the wall time went:',
    table(['phase', 'ms'], phases.map(({ name, ms }) => [name, Math.round(ms)])),
    'sum of case times per area:',
    table(['area', 'ms'], [...byArea.entries()].sort((a, b) => b[1] - a[1])),
    'slowest suite files (sum of case times):',
    table(['file', 'cases', 'ms'], slowestFiles.map(([file, { cases, ms }]) => [file, cases, ms])),
    'slowest cases:',
    table(['case', 'ms'], slowestCases.map((entry) => [shorten(entry.id), entry.durationMs])),
  ].join('\n')
  return {
    name: 'verify-time',
    text,
    goals,
    data: {
      full,
      wallSeconds,
      cpuSeconds,
      loadAverage: { before: load[0], after: load[1] },
      suiteRunSeconds: results.run.durationMs / 1000,
      caseSeconds,
      exitCode,
      verdict: results.verdict,
      counts: results.counts,
      cases: caseCount,
      msPerCase: (wallSeconds * 1000) / caseCount,
      caseDurationsMs: { p50: median(durations), p90: percentile(durations, 0.9), max: durations.at(-1) },
      phases,
      caseMsPerArea: Object.fromEntries(byArea),
      slowestFiles: slowestFiles.map(([file, stats]) => ({ file, ...stats })),
      slowestCases: slowestCases.map((entry) => ({ id: entry.id, status: entry.status, ms: entry.durationMs })),
    },
  }
}

function shorten(text: string, length = 110): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`
}
