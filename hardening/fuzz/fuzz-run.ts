// One fuzzing run: fast-check draws requests from the contract, each is sent to the live
// server and judged. By default the first violation stops the run, fast-check shrinks the
// request, and the failure names the seed and the shrunk request. `survey` keeps going
// and collects every distinct kind of violation instead (for triage, not for CI).
import fc from 'fast-check'
import { describeRequest, judge } from './oracle.ts'
import { fuzzRequest, type FuzzRequest } from './requests.ts'
import { send, type Sent } from './send.ts'
import { TargetState, type AdminCredentials } from './target-state.ts'

export interface FuzzOptions {
  baseUrl: string
  admin: AdminCredentials
  requests: number
  seed: number
  survey?: boolean
  /** Replays one counterexample: the path fast-check printed with a failure. */
  path?: string
  onProgress?: (done: number) => void
}

export interface Finding {
  signature: string
  count: number
  example: string
  violations: string[]
}

export interface FuzzReport {
  seed: number
  /** Requests sent, shrinking included. */
  sent: number
  byStatus: Record<string, number>
  /** Requests per method: the contract's and every other method Node's parser accepts. */
  byMethod: Record<string, number>
  operations: number
  mints: number
  durationMs: number
  findings: Finding[]
  /** Set when a run (not a survey) failed: the seed, the shrunk request and what was wrong. */
  failure?: string
}

export class FuzzViolation extends Error {
  override name = 'FuzzViolation'
  constructor(
    readonly request: string,
    readonly violations: string[],
  ) {
    super(`${violations.join('\n')}\n${request}`)
  }
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const state = new TargetState(options.baseUrl, options.admin)
  const started = performance.now()
  const byStatus: Record<string, number> = {}
  const byMethod: Record<string, number> = {}
  const operations = new Set<string>()
  const findings = new Map<string, Finding>()
  let sent = 0
  const property = fc.asyncProperty(fuzzRequest(), async (fuzzed: FuzzRequest) => {
    const result: Sent = await send(state, fuzzed)
    sent += 1
    if (sent % 500 === 0) options.onProgress?.(sent)
    byStatus[result.exchange.status] = (byStatus[result.exchange.status] ?? 0) + 1
    byMethod[fuzzed.method] = (byMethod[fuzzed.method] ?? 0) + 1
    operations.add(fuzzed.operationId)
    const violations = judge(fuzzed, result)
    if (violations.length === 0) return
    if (!options.survey) throw new FuzzViolation(describeRequest(fuzzed, result), violations)
    const signature = `${fuzzed.operationId} ${result.exchange.status} ${violations.map(generalise).join(' | ')}`
    const finding = findings.get(signature)
    if (finding) finding.count += 1
    else findings.set(signature, { signature, count: 1, example: describeRequest(fuzzed, result), violations })
  })
  try {
    await state.seedIds()
    const details = await fc.check(property, { seed: options.seed, numRuns: options.requests, ...(options.path && { path: options.path }) })
    return {
      seed: options.seed,
      sent,
      byStatus,
      byMethod,
      operations: operations.size,
      mints: state.mints,
      durationMs: Math.round(performance.now() - started),
      findings: [...findings.values()].sort((a, b) => b.count - a.count),
      ...(details.failed && { failure: failureText(details) }),
    }
  } finally {
    await state.close()
  }
}

function failureText(details: fc.RunDetails<[FuzzRequest]>): string {
  const error = details.errorInstance
  const what = error instanceof FuzzViolation ? error.message : `the fuzzer itself failed: ${error instanceof Error ? error.stack : String(error)}`
  return [
    `fuzzing failed after ${details.numRuns} request(s), seed ${details.seed}, path "${details.counterexamplePath}" (${details.numShrinks} shrink(s))`,
    `replay: npm run fuzz -- --seed ${details.seed} --path ${details.counterexamplePath}`,
    'shrunk request and what was wrong:',
    what,
  ].join('\n')
}

/** Violations of one kind read alike: ids, lengths and quoted values left out. */
function generalise(violation: string): string {
  return violation
    .replace(/^\S+ \S+ (\(no such operation\) )?→ (\d+: )?/, '')
    .replace(/'[^']*'|"[^"]*"/g, '…')
    .replace(/\d+/g, 'N')
    .slice(0, 160)
}
