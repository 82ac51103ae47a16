// Throughput and latency over loopback: the bare node:http ceiling, the mock's token
// exchange, its authorized list (bearer JWT, 3 filtered policies, 1,000 records, 20
// returned), a single record read, and Prism mocking the same list operation. Targets are
// measured in turn, interleaved, for several rounds; medians and ratios are quoted.
import { CALLER, DATASET, writeBenchFixtures } from './bench-fixtures.ts'
import { call, exchange, expectJson } from './http.ts'
import { load, median, type LoadResult, type LoadSpec } from './load.ts'
import { startBareServer, startMock, startPrism, type Target } from './processes.ts'
import { ratio, table, type BenchContext, type BenchOutcome, type Goal } from './report.ts'

export const CONNECTIONS = 10
const RECORDS = 1000
const PAGE = 20
/** High enough that no benchmark run meets a 429: rate limiting is not what is measured. */
export const UNLIMITED = (['token', 'data'] as const).map((scope) => ({ scope, limit: 1_000_000_000, windowSeconds: 60 }))

interface Scenario {
  name: string
  target: Target
  spec: Omit<LoadSpec, 'connections' | 'durationSeconds'>
}

/** A load run plus the CPU the target process spent per answered request. */
interface Run extends LoadResult {
  serverCpuMicrosPerRequest: number
}

export async function runThroughput(ctx: BenchContext): Promise<BenchOutcome> {
  // Short interleaved rounds, so every target sees the same background load; ratios are
  // taken within a round, then their median across rounds.
  const rounds = 5
  const durationSeconds = ctx.quick ? 2 : 4
  const fixtures = writeBenchFixtures({ records: RECORDS })
  const targets: Target[] = []
  try {
    ctx.log(`throughput: starting targets (${RECORDS} records)`)
    const spawnOptions = { profileDir: ctx.profileDir }
    const options = { fixtures: fixtures.file, rateLimits: UNLIMITED }
    // The exchange gets its own mock: the sessions it opens must not grow the list target's state.
    const data = await startMock('mock-data', options, spawnOptions)
    const exchanger = await startMock('mock-exchange', options, spawnOptions)
    targets.push(data, exchanger)

    const { access_token: token } = await exchange(data.url, CALLER)
    const listUrl = `${data.url}/v1/datasets/${DATASET}/records?limit=${PAGE}`
    const listAnswer = await call('GET', listUrl, { token })
    const page = await expectJson<{ items: { id: string }[] }>(200, Promise.resolve(listAnswer), 'list')
    if (page.items.length !== PAGE) throw new Error(`the list returned ${page.items.length} records, not ${PAGE}`)
    const recordUrl = `${data.url}/v1/datasets/${DATASET}/records/${page.items[0]!.id}`
    await expectJson(200, call('GET', recordUrl, { token }), 'single read')

    const bare = await startBareServer('bare-node-http', listAnswer.body, spawnOptions)
    targets.push(bare)
    const prism = await startPrism('prism')
    targets.push(prism)
    const bearer = { authorization: `Bearer ${token}` }
    const scenarios: Scenario[] = [
      { name: 'bare node:http (ceiling)', target: bare, spec: { url: `${bare.url}/v1/datasets/${DATASET}/records?limit=${PAGE}`, headers: bearer } },
      {
        name: 'mock: token exchange',
        target: exchanger,
        spec: {
          url: `${exchanger.url}/v1/auth/token`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ api_key: CALLER.id, api_secret: CALLER.secret }),
        },
      },
      { name: `mock: authorized list (${PAGE} of ${RECORDS})`, target: data, spec: { url: listUrl, headers: bearer } },
      { name: 'mock: single record read', target: data, spec: { url: recordUrl, headers: bearer } },
      { name: 'prism: list (static example)', target: prism, spec: { url: `${prism.url}/v1/datasets/${DATASET}/records?limit=${PAGE}`, headers: bearer } },
    ]

    ctx.log(`throughput: warm-up, then ${rounds} rounds × ${scenarios.length} targets × ${durationSeconds} s at ${CONNECTIONS} connections`)
    for (const scenario of scenarios) await load({ ...scenario.spec, connections: CONNECTIONS, durationSeconds: 2 })
    const runs = new Map<string, Run[]>(scenarios.map((scenario) => [scenario.name, []]))
    for (let round = 1; round <= rounds; round++) {
      for (const scenario of scenarios) {
        const cpuBefore = scenario.target.cpuSeconds()
        const result = await load({ ...scenario.spec, connections: CONNECTIONS, durationSeconds })
        const serverCpuMicrosPerRequest = ((scenario.target.cpuSeconds() - cpuBefore) * 1e6) / result.requests
        runs.get(scenario.name)!.push({ ...result, serverCpuMicrosPerRequest })
        ctx.log(
          `  round ${round} ${scenario.name}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50.toFixed(2)} ms, ${Math.round(serverCpuMicrosPerRequest)} µs CPU/req`,
        )
      }
    }
    return summarize(scenarios.map((scenario) => scenario.name), runs, { rounds, durationSeconds, bodyBytes: Buffer.byteLength(listAnswer.body) })
  } finally {
    await Promise.all(targets.map((target) => target.stop()))
    fixtures.remove()
  }
}

function summarize(names: string[], runs: Map<string, Run[]>, setup: { rounds: number; durationSeconds: number; bodyBytes: number }): BenchOutcome {
  const rps = (name: string): number => median(runs.get(name)!.map((run) => run.requestsPerSecond))
  /** Median over rounds of `name`'s req/s divided by `base`'s in the same round. */
  const roundRatio = (name: string, base: string): number =>
    median(runs.get(name)!.map((run, round) => run.requestsPerSecond / runs.get(base)![round]!.requestsPerSecond))
  const cpu = (name: string): number => median(runs.get(name)!.map((run) => run.serverCpuMicrosPerRequest))
  const [bareName, , listName, , prismName] = names as [string, string, string, string, string]
  const rows = names.map((name) => {
    const results = runs.get(name)!
    return [
      name,
      rps(name),
      median(results.map((run) => run.p50)),
      median(results.map((run) => run.p99)),
      ratio(roundRatio(name, bareName)),
      cpu(name),
      ratio(cpu(bareName) / cpu(name)),
      results.map((run) => Math.round(run.requestsPerSecond)).join(' / '),
    ]
  })
  const listShare = roundRatio(listName, bareName)
  const overPrism = roundRatio(listName, prismName)
  const goals: Goal[] = [
    { name: 'authorized list vs bare node:http', target: '≥ 0.40×', measured: ratio(listShare), met: listShare >= 0.4 },
    { name: 'authorized list vs Prism', target: '≥ 10×', measured: ratio(overPrism), met: overPrism >= 10 },
  ]
  const text = [
    `Throughput: ${CONNECTIONS} connections, ${setup.rounds} interleaved rounds of ${setup.durationSeconds} s; req/s and latency are medians over rounds,`,
    `ratios the median of per-round ratios; list body ${setup.bodyBytes} bytes`,
    table(['target', 'req/s', 'p50 ms', 'p99 ms', '× bare', 'CPU µs/req', '× bare (CPU)', 'req/s per round'], rows),
    `authorized list: ${ratio(listShare)} of bare node:http, ${ratio(overPrism)} of Prism (req/s, per round);`,
    `by the targets' own CPU per request (barely moved by other load): ${ratio(cpu(bareName) / cpu(listName))} of bare, ${ratio(cpu(prismName) / cpu(listName))} of Prism`,
  ].join('\n')
  return {
    name: 'throughput',
    text,
    goals,
    data: {
      connections: CONNECTIONS,
      ...setup,
      targets: names.map((name) => ({
        name,
        medianRequestsPerSecond: rps(name),
        ratioToBare: roundRatio(name, bareName),
        medianServerCpuMicrosPerRequest: cpu(name),
        runs: runs.get(name),
      })),
      listToBare: listShare,
      listToPrism: overPrism,
      cpuListToBare: cpu(bareName) / cpu(listName),
      cpuListToPrism: cpu(prismName) / cpu(listName),
    },
  }
}
