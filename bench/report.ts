// What every benchmark hands back, the machine it ran on, the console tables and the JSON
// files under reports/bench/.
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, release, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const BENCH_REPORT_DIR = fileURLToPath(new URL('../reports/bench/', import.meta.url))

export interface BenchContext {
  quick: boolean
  /** Where targets write CPU profiles (--profile), else undefined. */
  profileDir: string | undefined
  log(line: string): void
}

/** A stated goal, as measured in this run. */
export interface Goal {
  name: string
  target: string
  measured: string
  met: boolean
}

export interface BenchOutcome {
  name: string
  /** Console tables, already formatted. */
  text: string
  goals: Goal[]
  /** Everything measured, for reports/bench/<name>.json. */
  data: unknown
}

export interface Machine {
  cpus: number
  model: string
  memoryGiB: number
  node: string
  os: string
}

export function describeMachine(): Machine {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()}`,
  }
}

export function writeOutcome(outcome: BenchOutcome, run: { machine: Machine; quick: boolean; startedAt: string }): string {
  mkdirSync(BENCH_REPORT_DIR, { recursive: true })
  const file = join(BENCH_REPORT_DIR, `${outcome.name}.json`)
  writeFileSync(file, `${JSON.stringify({ benchmark: outcome.name, ...run, goals: outcome.goals, results: outcome.data }, null, 2)}\n`)
  return file
}

/** Columns padded to their widest cell; numbers right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)))
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)))
  const numeric = header.map((_, column) => rows.every((row) => typeof row[column] === 'number'))
  const line = (row: readonly string[]): string =>
    row.map((cell, column) => (numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd()
  return [line(cells[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n')
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–'
  if (Number.isInteger(value) || Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US')
  if (Math.abs(value) >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

export const ratio = (value: number): string => `${value.toFixed(2)}×`
export const mebibytes = (bytes: number): number => bytes / 2 ** 20
