// Scaling of policy evaluation: list latency with 10 / 100 / 1,000 / 10,000 policies (all
// but the callers' own four for other subjects, on the same dataset and action) × 1k / 10k /
// 100k records. Two callers: the benchmark caller (three filtered policies; a 20-record page
// fills after ~60 records) and a scanner whose policy admits nothing, so its list walks the
// whole dataset — the worst case. One connection: the latency of a lone request, plus the
// mock's own CPU per request, the figure other load on the machine moves least.
import { CALLER, DATASET, OWN_POLICY_COUNT, SCANNER, unrelatedPolicy, writeBenchFixtures } from './bench-fixtures.ts'
import { call, exchange, expectJson, forEachConcurrently } from './http.ts'
import { load, median, type LoadResult, type LoadSpec } from './load.ts'
import { startMock, type MockTarget } from './processes.ts'
import { ratio, table, type BenchContext, type BenchOutcome, type Goal } from './report.ts'
import { UNLIMITED } from './throughput.ts'

const POLICY_COUNTS = [10, 100, 1000, 10_000]
const RECORD_COUNTS = [1000, 10_000, 100_000]
const PAGE = 20
/**
 * Requests per round: a page is cheap; a full scan costs in proportion to the records. Enough
 * of them that the CPU clock (10 ms ticks in /proc) resolves the per-request cost to a few %.
 */
const PAGE_REQUESTS = 1500
const scanRequests = (records: number): number => Math.max(10, Math.round(1_000_000 / records))
/** Warm-up rounds before the first level: levels only go up, so the first must not run cold. */
const WARM_UP_ROUNDS = 3

type CallerName = 'page' | 'scan'

interface Cell {
  records: number
  policies: number
  caller: CallerName
  runs: (LoadResult & { cpuMicrosPerRequest: number })[]
}

export async function runPolicyScaling(ctx: BenchContext): Promise<BenchOutcome> {
  const rounds = ctx.quick ? 3 : 5
  const cells: Cell[] = []
  for (const records of RECORD_COUNTS) cells.push(...(await measureRecordCount(ctx, records, rounds)))
  return summarize(cells, rounds)
}

/**
 * One mock per record count; unrelated policies are added over HTTP between levels, and at
 * each level the two callers are measured in alternating rounds.
 */
async function measureRecordCount(ctx: BenchContext, records: number, rounds: number): Promise<Cell[]> {
  const fixtures = writeBenchFixtures({ records })
  let mock: MockTarget | undefined
  try {
    const started = performance.now()
    mock = await startMock(`mock-${records}-records`, { fixtures: fixtures.file, rateLimits: UNLIMITED }, { profileDir: ctx.profileDir })
    ctx.log(`policy-scaling: ${records} records, ready after ${Math.round((performance.now() - started) / 1000)} s`)
    const { access_token: adminToken } = await exchange(mock.url, { id: mock.adminKey, secret: mock.adminSecret })
    const callers = await Promise.all([
      caller(mock, 'page', CALLER, PAGE, PAGE_REQUESTS),
      caller(mock, 'scan', SCANNER, 0, scanRequests(records)),
    ])
    for (let round = 0; round < WARM_UP_ROUNDS; round++) for (const entry of callers) await load(entry.spec)
    const cells: Cell[] = []
    let policies = OWN_POLICY_COUNT
    for (const level of POLICY_COUNTS) {
      const url = `${mock.url}/v1/policies`
      await forEachConcurrently(level - policies, 16, async (offset) => {
        await expectJson(201, call('POST', url, { token: adminToken, body: unrelatedPolicy(policies + offset) }), 'policy')
      })
      policies = level
      const levelCells = callers.map(({ name }) => ({ records, policies: level, caller: name, runs: [] }) as Cell)
      for (const entry of callers) await entry.check()
      for (const entry of callers) await load({ ...entry.spec, amount: Math.ceil(entry.spec.amount / 2) })
      for (let round = 1; round <= rounds; round++) {
        for (const [index, entry] of callers.entries()) {
          const cpuBefore = mock.cpuSeconds()
          const result = await load(entry.spec)
          levelCells[index]!.runs.push({ ...result, cpuMicrosPerRequest: ((mock.cpuSeconds() - cpuBefore) * 1e6) / result.requests })
        }
      }
      ctx.log(`  ${level} policies: page p50 ${p50Of(levelCells[0]!).toFixed(2)} ms, full scan p50 ${p50Of(levelCells[1]!).toFixed(2)} ms`)
      cells.push(...levelCells)
    }
    return cells
  } finally {
    await mock?.stop()
    fixtures.remove()
  }
}

/** A caller's load spec, and a check that its list still answers as designed. */
async function caller(mock: MockTarget, name: CallerName, credential: { id: string; secret: string }, expectedItems: number, amount: number) {
  const { access_token: token } = await exchange(mock.url, credential)
  const url = `${mock.url}/v1/datasets/${DATASET}/records?limit=${PAGE}`
  const spec: LoadSpec & { amount: number } = { url, headers: { authorization: `Bearer ${token}` }, connections: 1, amount }
  const check = async (): Promise<void> => {
    const page = await expectJson<{ items: unknown[] }>(200, call('GET', url, { token }), `${name} list`)
    if (page.items.length !== expectedItems) throw new Error(`the ${name} list returned ${page.items.length} items, not ${expectedItems}`)
  }
  return { name, spec, check }
}

const p50Of = (cell: Cell): number => median(cell.runs.map((run) => run.p50))
const cpuOf = (cell: Cell): number => median(cell.runs.map((run) => run.cpuMicrosPerRequest))

function summarize(cells: Cell[], rounds: number): BenchOutcome {
  const cell = (records: number, policies: number, caller: CallerName): Cell =>
    cells.find((entry) => entry.records === records && entry.policies === policies && entry.caller === caller)!
  const rows = RECORD_COUNTS.flatMap((records) =>
    POLICY_COUNTS.map((policies) => {
      const page = cell(records, policies, 'page')
      const scan = cell(records, policies, 'scan')
      return [records, policies, p50Of(page), cpuOf(page), p50Of(scan), cpuOf(scan)]
    }),
  )
  const fewest = POLICY_COUNTS[0]!
  const most = POLICY_COUNTS.at(-1)!
  const growth = (measure: (cell: Cell) => number, caller: CallerName, from: [number, number], to: [number, number]): number =>
    measure(cell(to[0], to[1], caller)) / measure(cell(from[0], from[1], caller))
  const policyCost = RECORD_COUNTS.map((records) => ({
    records,
    pageCpu: growth(cpuOf, 'page', [records, fewest], [records, most]),
    pageP50: growth(p50Of, 'page', [records, fewest], [records, most]),
    scanCpu: growth(cpuOf, 'scan', [records, fewest], [records, most]),
    scanP50: growth(p50Of, 'scan', [records, fewest], [records, most]),
  }))
  const smallest = RECORD_COUNTS[0]!
  const largest = RECORD_COUNTS.at(-1)!
  const recordCost = {
    pageCpu: growth(cpuOf, 'page', [smallest, fewest], [largest, fewest]),
    scanCpu: growth(cpuOf, 'scan', [smallest, fewest], [largest, fewest]),
    scanP50: growth(p50Of, 'scan', [smallest, fewest], [largest, fewest]),
  }
  // Judged on the mock's CPU per request (its cost), the worst record count.
  const worst = Math.max(...policyCost.map((entry) => entry.pageCpu))
  const goals: Goal[] = [
    {
      name: `${most.toLocaleString('en-US')} unrelated policies vs ${fewest}: CPU per listed page (worst record count)`,
      target: '< 2×',
      measured: ratio(worst),
      met: worst < 2,
    },
  ]
  const text = [
    `Policy scaling: GET …/records?limit=${PAGE}, 1 connection, ${rounds} alternating rounds per cell (medians);`,
    `"page" = caller with 3 filtered policies (20 records returned), "scan" = caller whose policy admits nothing (walks every record)`,
    table(['records', 'policies', 'page p50 ms', 'page CPU µs', 'scan p50 ms', 'scan CPU µs'], rows),
    `${most.toLocaleString('en-US')} vs ${fewest} policies (CPU per request): ${policyCost
      .map((entry) => `${entry.records.toLocaleString('en-US')} records: page ${ratio(entry.pageCpu)}, scan ${ratio(entry.scanCpu)}`)
      .join('; ')}`,
    `${largest.toLocaleString('en-US')} vs ${smallest.toLocaleString('en-US')} records (${fewest} policies): page CPU ${ratio(recordCost.pageCpu)}, full scan CPU ${ratio(recordCost.scanCpu)} (p50 ${ratio(recordCost.scanP50)})`,
  ].join('\n')
  return { name: 'policy-scaling', text, goals, data: { rounds, connections: 1, page: PAGE, cells, policyCost, recordCost } }
}
