// One load run with autocannon against a target in another process, and the statistics the
// benchmarks quote. Latencies are collected from autocannon's per-response events: its own
// histogram counts whole milliseconds, too coarse for sub-millisecond answers.
import autocannon from 'autocannon'

export interface LoadSpec {
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  connections: number
  /** How long to load the target, or (`amount`) how many requests to send. */
  durationSeconds?: number
  amount?: number
}

export interface LoadResult {
  requestsPerSecond: number
  requests: number
  /** Latency percentiles in milliseconds, exact (from every response). */
  p50: number
  p99: number
  mean: number
}

/** A run that answered anything but 2xx measured the wrong thing. */
export class LoadError extends Error {
  readonly code = 'bench_load_failed'
  override name = 'LoadError'
}

/** A timed run that answered nothing is made again at twice, then four times its length before a LoadError. */
const STARVED_RETRIES = 2

/**
 * On a loaded machine a target can get no CPU for the whole of a short timed run (seen at
 * load 20 with 1 s runs), so nothing completes and there is nothing to measure: such a run
 * is made again, longer, a few times. What the target spent on the run that answered
 * nothing is counted by the caller's CPU reading with the answers of the next: a cost
 * over-stated, never flattered.
 */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  for (let attempt = 0; ; attempt++) {
    const durationSeconds = (spec.durationSeconds ?? 1) * 2 ** attempt
    const result = await loadOnce(spec.amount !== undefined ? spec : { ...spec, durationSeconds })
    if (result !== undefined) return result
    if (spec.amount !== undefined || attempt === STARVED_RETRIES) {
      throw new LoadError(`${spec.method ?? 'GET'} ${spec.url}: no answer completed during the run${attempt > 0 ? ` (${attempt + 1} runs, the last of ${durationSeconds} s)` : ''}`)
    }
  }
}

async function loadOnce(spec: LoadSpec): Promise<LoadResult | undefined> {
  const latencies: number[] = []
  const instance = autocannon({
    url: spec.url,
    method: spec.method ?? 'GET',
    headers: spec.headers ?? {},
    ...(spec.body !== undefined && { body: spec.body }),
    connections: spec.connections,
    ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.durationSeconds ?? 1 }),
    timeout: 30,
  })
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs)
  })
  const result = await instance
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    const codes = Object.entries(result.statusCodeStats).map(([code, { count }]) => `${code}×${count}`).join(', ')
    throw new LoadError(
      `${spec.method ?? 'GET'} ${spec.url}: ${result.non2xx} non-2xx (${codes}), ${result.errors} errors, ${result.timeouts} timeouts`,
    )
  }
  if (latencies.length === 0) return undefined
  latencies.sort((a, b) => a - b)
  return {
    requestsPerSecond: latencies.length / result.duration,
    requests: latencies.length,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    mean: latencies.reduce((sum, value) => sum + value, 0) / latencies.length,
  }
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))
  return sorted[rank]!
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
