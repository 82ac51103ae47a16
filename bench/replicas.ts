// Replicas: the mock as users start it (`authconform mock --quiet`) in one process in memory,
// one process over a Redis store, and `--workers 2` over a Redis store — side by side, in
// interleaved rounds: the authorized list (bearer JWT, 3 filtered policies, 20 of 1,000
// records) and the token exchange. Beside req/s: the CPU the mock's processes and Redis
// spend per request, the Redis round trips per request (the scripts a replica runs: its
// catch-up, rate-limit windows and commit are each one EVALSHA; only concurrent requests
// share a catch-up) and the commands Redis ran for them, inside the scripts included. The
// in-memory process is also measured as it was before replicas (REPLICAS_BASELINE), paired:
// making the store replicable must not cost the single process anything.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from 'redis'
import { startRedis } from '../support/redis-server.ts'
import { findComponent, REDIS_SERVER } from '../support/system-components.ts'
import { baselineTree, REPLICAS_BASELINE, ROOT } from './baseline.ts'
import { CALLER, DATASET, writeBenchFixtures } from './bench-fixtures.ts'
import { call, exchange, expectJson } from './http.ts'
import { load, median, type LoadSpec } from './load.ts'
import { procCpuSeconds, startCliMock, type Target } from './processes.ts'
import { ratio, table, type BenchContext, type BenchOutcome, type Goal } from './report.ts'
import { CONNECTIONS } from './throughput.ts'

const RECORDS = 1000
const PAGE = 20

interface Setup {
  name: string
  args: (store: (db: number) => string) => string[]
  /** The tree whose CLI runs; default this one. */
  root?: string
}

const MEMORY = '1 process, memory'
const BEFORE = '1 process, memory, before'

const SETUPS: Setup[] = [
  { name: MEMORY, args: () => [] },
  { name: '1 process, Redis', args: (store) => ['--store', store(1)] },
  { name: '--workers 2, Redis', args: (store) => ['--store', store(2), '--workers', '2'] },
]

interface Run {
  requestsPerSecond: number
  p50: number
  p99: number
  mockCpuMicros: number
  redisCpuMicros: number
  redisCommands: number
  redisRoundTrips: number
}

export async function runReplicas(ctx: BenchContext): Promise<BenchOutcome> {
  const redisServer = await findComponent(REDIS_SERVER)
  if (!redisServer.found) {
    const text = `Replicas: not measured — ${REDIS_SERVER.name} is missing (${redisServer.reason}); ${REDIS_SERVER.install}`
    return { name: 'replicas', text, goals: [], data: { skipped: text } }
  }
  const rounds = ctx.quick ? 3 : 5
  const durationSeconds = ctx.quick ? 2 : 4
  const baseline = baselineTree(REPLICAS_BASELINE)
  if (!('root' in baseline)) ctx.log(`replicas: no before tree (${baseline.unavailable}); the memory rows are not compared`)
  const setups = 'root' in baseline ? [{ name: BEFORE, args: () => [], root: baseline.root }, ...SETUPS] : SETUPS
  const redis = await startRedis(redisServer.location)
  const stats = createClient({ url: redis.url })
  await stats.connect()
  const fixtures = writeBenchFixtures({ records: RECORDS })
  const logs = mkdtempSync(join(tmpdir(), 'authconform-bench-replicas-'))
  const targets: Target[] = []
  try {
    ctx.log(`replicas: starting ${setups.map((setup) => setup.name).join(', ')} (${RECORDS} records)`)
    for (const [index, setup] of setups.entries()) {
      const args = ['--rate-limit', 'token=1000000000/60', ...setup.args((db) => redis.url.replace(/\/0$/, `/${db}`))]
      const root = setup.root ?? ROOT
      targets.push(await startCliMock(`replicas-${index}`, { root, fixtures: fixtures.file, quiet: true, logFile: join(logs, `${index}.log`), args }))
    }
    const scenarios = await Promise.all(
      setups.flatMap((setup, index) => {
        const target = targets[index]!
        return [
          (async () => {
            const { access_token: token } = await exchange(target.url, CALLER)
            const url = `${target.url}/v1/datasets/${DATASET}/records?limit=${PAGE}`
            const page = await expectJson<{ items: unknown[] }>(200, call('GET', url, { token }), `${setup.name}: list`)
            if (page.items.length !== PAGE) throw new Error(`${setup.name}: the list returned ${page.items.length} records, not ${PAGE}`)
            return { name: `${setup.name}: authorized list`, target, spec: { url, headers: { authorization: `Bearer ${token}` } } }
          })(),
          Promise.resolve({
            name: `${setup.name}: token exchange`,
            target,
            spec: {
              url: `${target.url}/v1/auth/token`,
              method: 'POST' as const,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ api_key: CALLER.id, api_secret: CALLER.secret }),
            },
          }),
        ]
      }),
    )
    // One INFO for both counters. Commands run inside a script count in the total, so the
    // round trips are the script calls; these paths send no other command (the journal's
    // are for --control, the sweep's purge one HDEL per table every sweepEvery requests).
    const commands = async (): Promise<{ total: number; scripts: number }> => {
      const info = String(await stats.sendCommand(['INFO', 'stats', 'commandstats']))
      const calls = (name: string): number => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0)
      return { total: Number(/total_commands_processed:(\d+)/.exec(info)?.[1]), scripts: calls('evalsha') + calls('eval') }
    }
    ctx.log(`replicas: warm-up, then ${rounds} rounds × ${scenarios.length} runs × ${durationSeconds} s at ${CONNECTIONS} connections`)
    for (const scenario of scenarios) await load({ ...scenario.spec, connections: CONNECTIONS, durationSeconds: 2 })
    const runs = new Map<string, Run[]>(scenarios.map((scenario) => [scenario.name, []]))
    for (let round = 1; round <= rounds; round++) {
      for (const scenario of scenarios) {
        const before = { mock: scenario.target.cpuSeconds(), redis: procCpuSeconds(redis.pid), commands: await commands() }
        const result = await load({ ...(scenario.spec as Omit<LoadSpec, 'connections'>), connections: CONNECTIONS, durationSeconds })
        // The statistics' own INFO is one command; it is not the requests'.
        const after = await commands()
        const redisCommands = (after.total - before.commands.total - 1) / result.requests
        const redisRoundTrips = (after.scripts - before.commands.scripts) / result.requests
        const run: Run = {
          requestsPerSecond: result.requestsPerSecond,
          p50: result.p50,
          p99: result.p99,
          mockCpuMicros: ((scenario.target.cpuSeconds() - before.mock) * 1e6) / result.requests,
          redisCpuMicros: ((procCpuSeconds(redis.pid) - before.redis) * 1e6) / result.requests,
          redisCommands,
          redisRoundTrips,
        }
        runs.get(scenario.name)!.push(run)
        ctx.log(
          `  round ${round} ${scenario.name}: ${Math.round(run.requestsPerSecond)} req/s, ${Math.round(run.mockCpuMicros)} µs mock CPU/req, ${Math.round(run.redisCpuMicros)} µs Redis CPU/req, ${run.redisRoundTrips.toFixed(2)} round trips/req (${run.redisCommands.toFixed(1)} commands)`,
        )
      }
    }
    return summarize(scenarios.map((scenario) => scenario.name), runs, { rounds, durationSeconds, baseline: 'commit' in baseline ? baseline.commit : undefined })
  } finally {
    await Promise.all(targets.map((target) => target.stop()))
    await stats.close().catch(() => undefined)
    await redis.remove()
    fixtures.remove()
    rmSync(logs, { recursive: true, force: true })
  }
}

function summarize(names: string[], runs: Map<string, Run[]>, setup: { rounds: number; durationSeconds: number; baseline: string | undefined }): BenchOutcome {
  const metric = (name: string, key: keyof Run): number => median(runs.get(name)!.map((run) => run[key]))
  const request = (name: string): string => name.slice(name.indexOf(':'))
  /** Median over rounds of `name`'s `key` over another setup's for the same request, in the same round. */
  const roundRatio = (name: string, other: string, key: keyof Run): number => {
    const base = runs.get(`${other}${request(name)}`)!
    return median(runs.get(name)!.map((run, round) => run[key] / base[round]![key]))
  }
  const overMemory = (name: string): number => roundRatio(name, MEMORY, 'requestsPerSecond')
  const rows = names.map((name) => [
    name,
    metric(name, 'requestsPerSecond'),
    ratio(overMemory(name)),
    metric(name, 'p50'),
    metric(name, 'p99'),
    metric(name, 'mockCpuMicros'),
    metric(name, 'redisCpuMicros'),
    metric(name, 'redisRoundTrips').toFixed(2),
    metric(name, 'redisCommands').toFixed(1),
    runs.get(name)!.map((run) => Math.round(run.requestsPerSecond)).join(' / '),
  ])
  // What bounds growth: the mock's CPU per request spreads over its processes (one core
  // each at most); Redis answers every replica on one core.
  const ceilings = names
    .filter((name) => !name.startsWith(MEMORY))
    .map((name) => {
      const perCore = 1e6 / metric(name, 'mockCpuMicros')
      const redisBound = 1e6 / metric(name, 'redisCpuMicros')
      return `${name}: ≈ ${Math.round(perCore)} req/s per core of mock processes; one Redis core saturates at ≈ ${Math.round(redisBound)} req/s`
    })
  // The single process in memory against itself before replicas, paired: CPU per request
  // (barely moved by other load) after over before.
  const goals: Goal[] =
    setup.baseline === undefined
      ? []
      : [': authorized list', ': token exchange'].map((what) => {
          const cost = roundRatio(`${MEMORY}${what}`, BEFORE, 'mockCpuMicros')
          return { name: `in memory${what.slice(1)}: CPU per request vs before replicas`, target: '≤ 1.05×', measured: ratio(cost), met: cost <= 1.05 }
        })
  const text = [
    `Replicas: ${CONNECTIONS} connections, ${setup.rounds} interleaved rounds of ${setup.durationSeconds} s; medians over rounds, ratios per round`,
    table(['target', 'req/s', '× memory', 'p50 ms', 'p99 ms', 'mock CPU µs/req', 'Redis CPU µs/req', 'Redis round trips/req', 'Redis cmds/req', 'req/s per round'], rows),
    'Ceilings from CPU per request (load generator and other load aside):',
    ...ceilings.map((line) => `  ${line}`),
    ...(setup.baseline === undefined ? [] : [`"before": ${setup.baseline.slice(0, 12)}, the tree before replicas, paired with the one in memory`]),
  ].join('\n')
  return {
    name: 'replicas',
    text,
    goals,
    data: { connections: CONNECTIONS, ...setup, targets: names.map((name) => ({ name, runs: runs.get(name) })) },
  }
}
