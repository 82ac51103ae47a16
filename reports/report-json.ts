// results.json: the whole results model, for machines (dashboards, diffing two runs).
// coverage.json: the coverage matrix alone (requirement → cases → status).
import type { RunResults } from './results.ts'

export function renderJson(results: RunResults): string {
  return `${JSON.stringify(results, null, 2)}\n`
}

export function renderCoverageJson(results: RunResults): string {
  return `${JSON.stringify({ run: { runId: results.run.runId, target: results.run.target }, coverage: results.coverage }, null, 2)}\n`
}
