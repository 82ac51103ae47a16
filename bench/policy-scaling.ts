// Scaling of policy evaluation: list latency with 10 / 100 / 1,000 / 10,000 policies (all
// but the callers' own four for other subjects, on the same dataset) × 1k / 10k / 100k
// records. Two callers: the benchmark caller (three filtered policies, a 20-record page
// fills after ~60 records) and a scanner whose policy admits nothing, so its list walks the
// whole dataset — the worst case. One connection: the latency of a lone request.
import { CALLER, DATASET, SCANNER, writeBenchFixtures, type BenchFixtures } from './bench-fixtures.ts'
import { call, exchange, expectJson } from './http.ts'
import { load, median, type LoadResult } from './load.ts'
import { startMock, type MockTarget } from './processes.ts'
import { ratio, table, type BenchContext, type BenchOutcome, type Goal } from './report.ts'
import { UNLIMITED } from './throughput.ts'

const POLICY_COUNTS = [10, 100, 1000, 10_000]
const RECORD_COUNTS = [1000, 10_000, 100_000]
const PAGE = 20
const CALLERS = [
  { name: 'page', credential: CALLER, expectedItems: PAGE },
  { name: 'scan', credential: SCANNER, expectedItems: 0 },
] as const

interface Cell {
  records: number
  policies: number
  caller: 'page' | 'scan'
  runs: LoadResult[]
}

export async function runPolicyScaling(ctx: BenchContext): Promise<BenchOutcome> {
  // Many short rounds: on a shared machine the median of interleaved rounds is what holds.
  const rounds = ctx.quick ? 3 : 5
  const durationSeconds = 1
  const cells: Cell[] = []
  for (const records of RECORD_COUNTS) {
    ctx.log(`policy-scaling: ${records} records, ${POLICY_COUNTS.join(' / ')} policies (${rounds} round(s) × ${durationSeconds} s)`)
    cells.push(...(await measureRecordCount(ctx, records, rounds, durationSeconds)))
  }
  return summarize(cells, { rounds, durationSeconds })
}

/** One mock per policy count, all alive, measured in interleaved rounds. */
async function measureRecordCount(ctx: BenchContext, records: number, rounds: number, durationSeconds: number): Promise<Cell[]> {
  const fixtures: BenchFixtures[] = []
  const mocks: MockTarget[] = []
  const started = performance.now()
  try {
    for (const policies of POLICY_COUNTS) fixtures.push(writeBenchFixtures({ records, policies }))
    mocks.push(
      ...(await Promise.all(
        POLICY_COUNTS.map((policies, index) =>
          startMock(`mock-${records}r-${policies}p`, { fixtures: fixtures[index]!.file, rateLimits: UNLIMITED }, { profileDir: ctx.profileDir }),
        ),
      )),
    )
    const probes = await Promise.all(
      mocks.flatMap((mock, index) => CALLERS.map((caller) => probe(mock, caller, records, POLICY_COUNTS[index]!))),
    )
    ctx.log(`  ${mocks.length} mocks ready after ${Math.round((performance.now() - started) / 1000)} s`)
    for (const { spec } of probes) await load({ ...spec, durationSeconds: 2 })
    for (let round = 1; round <= rounds; round++) {
      for (const { cell, spec } of probes) cell.runs.push(await load({ ...spec, durationSeconds }))
    }
    return probes.map(({ cell }) => cell)
  } finally {
    await Promise.all(mocks.map((mock) => mock.stop()))
    for (const fixture of fixtures) fixture.remove()
  }
}

/** Checks the caller's list answers as designed, and returns its load spec. */
async function probe(mock: MockTarget, caller: (typeof CALLERS)[number], records: number, policies: number) {
  const { access_token: token } = await exchange(mock.url, caller.credential)
  const url = `${mock.url}/v1/datasets/${DATASET}/records?limit=${PAGE}`
  const page = await expectJson<{ items: unknown[] }>(200, call('GET', url, { token }), `${caller.name} list`)
  if (page.items.length !== caller.expectedItems) {
    throw new Error(`${caller.name} list with ${records} records returned ${page.items.length} items, not ${caller.expectedItems}`)
  }
  const cell: Cell = { records, policies, caller: caller.name, runs: [] }
  return { cell, spec: { url, headers: { authorization: `Bearer ${token}` }, connections: 1 } }
}

function summarize(cells: Cell[], setup: { rounds: number; durationSeconds: number }): BenchOutcome {
  const p50 = (records: number, policies: number, caller: Cell['caller']): number =>
    median(cells.find((cell) => cell.records === records && cell.policies === policies && cell.caller === caller)!.runs.map((run) => run.p50))
  const rows = RECORD_COUNTS.flatMap((records) =>
    POLICY_COUNTS.map((policies) => [records, policies, p50(records, policies, 'page'), p50(records, policies, 'scan')]),
  )
  const fewest = POLICY_COUNTS[0]!
  const most = POLICY_COUNTS[POLICY_COUNTS.length - 1]!
  const policyCost = RECORD_COUNTS.map((records) => ({
    records,
    page: p50(records, most, 'page') / p50(records, fewest, 'page'),
    scan: p50(records, most, 'scan') / p50(records, fewest, 'scan'),
  }))
  const smallest = RECORD_COUNTS[0]!
  const largest = RECORD_COUNTS[RECORD_COUNTS.length - 1]!
  const recordCost = {
    page: p50(largest, fewest, 'page') / p50(smallest, fewest, 'page'),
    scan: p50(largest, fewest, 'scan') / p50(smallest, fewest, 'scan'),
  }
  const worstPolicyCost = Math.max(...policyCost.map((entry) => entry.page))
  const goals: Goal[] = [
    {
      name: `${most.toLocaleString('en-US')} unrelated policies vs ${fewest} (20-record page, worst record count)`,
      target: '< 2×',
      measured: ratio(worstPolicyCost),
      met: worstPolicyCost < 2,
    },
  ]
  const text = [
    `Policy scaling: list latency p50 in ms, 1 connection, ${setup.rounds} interleaved round(s) of ${setup.durationSeconds} s, medians`,
    table(['records', 'policies', 'page of 20 ms', 'full scan ms'], rows),
    `${most} vs ${fewest} policies: ${policyCost.map((entry) => `${entry.records} records page ${ratio(entry.page)} scan ${ratio(entry.scan)}`).join('; ')}`,
    `${largest} vs ${smallest} records (${fewest} policies): page ${ratio(recordCost.page)}, full scan ${ratio(recordCost.scan)}`,
  ].join('\n')
  return { name: 'policy-scaling', text, goals, data: { ...setup, connections: 1, page: PAGE, cells, policyCost, recordCost } }
}
