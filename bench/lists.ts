// Lists for selective callers: GET …/records for callers whose policies admit ≈ 1 %, 3 %,
// 30 % and 100 % of 1k / 10k / 100k orders, as a page of 20, a new user's page (no limit:
// 100) and the largest page (1,000), so some pages are full and some are not (a page that
// is not full has examined every record after its cursor). The mock is started as users
// start it — `authconform mock` with its defaults (a log line per request) and with
// `--quiet` — from this tree and from the tree before (bench/baseline.ts), beside a bare
// node:http server answering the same bodies; all measured in turn, query after query,
// round after round. Ratios are medians of per-round ratios.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { baselineTree, LISTS_BASELINE, ROOT } from './baseline.ts'
import { DATASET, LIST_CALLERS, writeListFixtures } from './bench-fixtures.ts'
import { call, exchange, expectJson } from './http.ts'
import { load, median } from './load.ts'
import { startBareServer, startCliMock, type Target } from './processes.ts'
import { ratio, table, type BenchContext, type BenchOutcome, type Goal } from './report.ts'
import { measureKeptMemory, type KeptMemory } from './kept-memory.ts'
import { CONNECTIONS } from './throughput.ts'

const RECORD_COUNTS = [1000, 10_000, 100_000]
const PAGES = [
  { name: '20', query: '?limit=20' },
  { name: 'default', query: '' },
  { name: '1000', query: '?limit=1000' },
] as const
/** Where the goals are judged. */
const GOAL_RECORDS = 1000
const GOAL_EVERY_ROW = 0.6
const GOAL_BROAD_ROW = 0.8
/** The broad rows: the BENCHMARKS list workload (≈ 30 %, a page of 20) and every order. */
const BROAD = (row: Row): boolean => row.page === '20' && (row.share === '30%' || row.share === '100%')
/**
 * The framework's floor (bench/framework-server.ts), measured where the goals are judged:
 * how near bare node:http any Fastify app gets, before it does anything per request.
 */
const FRAMEWORK = 'Fastify alone'

interface MockStart {
  /** `after` is this tree, `before` the baseline's. */
  tree: 'after' | 'before'
  quiet: boolean
}

const startName = ({ tree, quiet }: MockStart): string => `${tree} ${quiet ? '--quiet' : 'defaults'}`

interface Measure {
  requestsPerSecond: number
  cpuMicrosPerRequest: number
  p50: number
}

interface Row {
  records: number
  share: string
  page: string
  /** Records the caller's policies admit in the whole dataset. */
  admitted: number
  items: number
  full: boolean
  bodyBytes: number
  /** target name → one measure per round. */
  runs: Record<string, Measure[]>
}

export async function runLists(ctx: BenchContext): Promise<BenchOutcome> {
  const baseline = baselineTree(LISTS_BASELINE)
  const starts: MockStart[] = [
    { tree: 'after', quiet: false },
    { tree: 'after', quiet: true },
    ...('root' in baseline ? ([{ tree: 'before', quiet: false }, { tree: 'before', quiet: true }] as const) : []),
  ]
  if (!('root' in baseline)) ctx.log(`lists: no before tree (${baseline.unavailable}); after/before not measured`)
  const rows: Row[] = []
  const logs: LogCount[] = []
  for (const records of RECORD_COUNTS) {
    const measured = await measureRecordCount(ctx, records, starts, 'root' in baseline ? baseline.root : undefined)
    rows.push(...measured.rows)
    logs.push(...measured.logs)
  }
  const memory = await measureKeptMemory(ctx)
  return summarize(rows, starts, logs, memory, 'commit' in baseline ? baseline.commit : undefined)
}

interface LogCount {
  target: string
  requestLines: number
  bytes: number
  measuredRequests: number
}

async function measureRecordCount(ctx: BenchContext, records: number, starts: MockStart[], baselineRoot: string | undefined) {
  const fixtures = writeListFixtures({ records })
  const logDir = mkdtempSync(join(tmpdir(), 'authconform-lists-'))
  const targets: Target[] = []
  try {
    ctx.log(`lists: ${records} records, starting ${starts.length} mocks`)
    const mocks = await Promise.all(
      starts.map(async (start) => {
        const label = `${startName(start).replace(/\W+/g, '-')}-${records}`
        const logFile = join(logDir, `${label}.log`)
        const target = await startCliMock(
          label,
          { root: start.tree === 'after' ? ROOT : baselineRoot!, fixtures: fixtures.file, quiet: start.quiet, logFile },
          { profileDir: ctx.profileDir },
        )
        targets.push(target)
        const tokens = await Promise.all(LIST_CALLERS.map(async ({ key }) => (await exchange(target.url, key)).access_token))
        return { name: startName(start), start, target, tokens, logFile, requests: 0 }
      }),
    )
    const queries = await checkedQueries(records, mocks)
    const bodies = Object.fromEntries(queries.map((query) => [query.path, query.body]))
    const bare = await startBareServer(`bare-${records}`, bodies, { profileDir: ctx.profileDir })
    targets.push(bare)
    const framework = records === GOAL_RECORDS ? await startBareServer(`fastify-${records}`, bodies, { profileDir: ctx.profileDir }, 'fastify') : undefined
    if (framework) targets.push(framework)

    const unused = LIST_CALLERS.map(() => 'unused')
    const entries = [
      { name: 'bare', target: bare, tokens: unused, requests: 0 },
      ...(framework ? [{ name: FRAMEWORK, target: framework, tokens: unused, requests: 0 }] : []),
      ...mocks,
    ]
    const spec = (entry: (typeof entries)[number], query: Query, durationSeconds: number) => ({
      url: `${entry.target.url}${query.path}`,
      headers: { authorization: `Bearer ${entry.tokens[query.caller]}` },
      connections: CONNECTIONS,
      durationSeconds,
    })
    // The goals are judged at 1k records: more rounds there. A second per run: a page of
    // 1,000 from the tree before can take longer than half of one under load.
    const rounds = ctx.quick ? 2 : records === GOAL_RECORDS ? 5 : 3
    const seconds = ctx.quick ? 0.5 : 1
    ctx.log(`lists: warm-up, then ${rounds} rounds × ${queries.length} queries × ${entries.length} targets × ${seconds} s`)
    for (const query of queries) for (const entry of entries) entry.requests += (await load(spec(entry, query, 0.3))).requests
    for (let round = 0; round < rounds; round++) {
      for (const query of queries) {
        // Reversed every other round, so no target always runs right after the same one.
        for (const entry of round % 2 === 0 ? entries : [...entries].reverse()) {
          const cpuBefore = entry.target.cpuSeconds()
          const result = await load(spec(entry, query, seconds))
          entry.requests += result.requests
          const cpuMicrosPerRequest = ((entry.target.cpuSeconds() - cpuBefore) * 1e6) / result.requests
          ;(query.row.runs[entry.name] ??= []).push({ requestsPerSecond: result.requestsPerSecond, cpuMicrosPerRequest, p50: result.p50 })
        }
      }
      ctx.log(`  round ${round + 1}, after defaults × bare (CPU µs after/before): ${queries.map((query) => `${query.row.share}/${query.row.page} ${ratio(lastRatio(query.row, 'after defaults'))} (${lastCpu(query.row, 'after defaults')}/${lastCpu(query.row, 'before defaults')})`).join(' ')}`)
    }
    await Promise.all(targets.map((target) => target.stop()))
    const logs = mocks.map(({ name, start, logFile, requests }) => {
      const log = countLog(`${name}, ${records} records`, logFile, requests)
      // The starts must be what they claim: a line per request with the defaults, none with --quiet.
      if (start.quiet ? log.requestLines !== 0 : log.requestLines < requests) {
        throw new Error(`lists: ${log.target} wrote ${log.requestLines} request lines for ${requests} measured requests`)
      }
      return log
    })
    return { rows: queries.map((query) => query.row), logs }
  } finally {
    await Promise.all(targets.map((target) => target.stop()))
    fixtures.remove()
    rmSync(logDir, { recursive: true, force: true })
  }
}

const lastRatio = (row: Row, name: string): number => row.runs[name]!.at(-1)!.requestsPerSecond / row.runs['bare']!.at(-1)!.requestsPerSecond
const lastCpu = (row: Row, name: string): string => (row.runs[name] === undefined ? '–' : Math.round(row.runs[name]!.at(-1)!.cpuMicrosPerRequest).toString())

interface Query {
  caller: number
  path: string
  body: string
  row: Row
}

/**
 * Every query answered 200 by every mock with the same bytes (this tree's kept answers and
 * the tree before agree), and each caller's admitted records counted by walking its list.
 */
async function checkedQueries(records: number, mocks: { name: string; target: Target; tokens: string[] }[]): Promise<Query[]> {
  const queries: Query[] = []
  for (const [caller, { share }] of LIST_CALLERS.entries()) {
    const admitted = await countAdmitted(mocks[0]!.target.url, mocks[0]!.tokens[caller]!)
    for (const page of PAGES) {
      const path = `/v1/datasets/${DATASET}/records${page.query}`
      const answers = await Promise.all(mocks.map(({ target, tokens }) => call('GET', `${target.url}${path}`, { token: tokens[caller]! })))
      for (const [index, answer] of answers.entries()) {
        if (answer.status !== 200) throw new Error(`lists: ${mocks[index]!.name} answered ${answer.status} to ${share} ${path}: ${answer.body.slice(0, 200)}`)
        if (answer.body !== answers[0]!.body) throw new Error(`lists: ${mocks[index]!.name} and ${mocks[0]!.name} answer ${share} ${path} differently`)
      }
      const body = answers[0]!.body
      const { items } = JSON.parse(body) as { items: unknown[] }
      const limit = page.name === 'default' ? 100 : Number(page.name)
      const row: Row = { records, share, page: page.name, admitted, items: items.length, full: items.length === limit, bodyBytes: Buffer.byteLength(body), runs: {} }
      queries.push({ caller, path, body, row })
    }
  }
  return queries
}

async function countAdmitted(url: string, token: string): Promise<number> {
  let count = 0
  let cursor: string | null = null
  do {
    const page: { items: unknown[]; next_cursor: string | null } = await expectJson(
      200,
      call('GET', `${url}/v1/datasets/${DATASET}/records?limit=1000${cursor === null ? '' : `&cursor=${cursor}`}`, { token }),
      'counting a list',
    )
    count += page.items.length
    cursor = page.next_cursor
  } while (cursor !== null)
  return count
}

/** The request lines a mock wrote: one per request with its defaults, none with --quiet. */
function countLog(target: string, file: string, measuredRequests: number): LogCount {
  const text = readFileSync(file, 'utf8')
  let requestLines = 0
  for (let at = text.indexOf('"msg":"request"'); at >= 0; at = text.indexOf('"msg":"request"', at + 1)) requestLines++
  return { target, requestLines, bytes: Buffer.byteLength(text), measuredRequests }
}

function summarize(rows: Row[], starts: MockStart[], logs: LogCount[], memory: KeptMemory, baselineCommit: string | undefined): BenchOutcome {
  const names = starts.map(startName)
  /** Median over rounds of a's measure over b's in the same round. */
  const paired = (row: Row, a: string, b: string, measure: (run: Measure) => number): number => {
    const over = row.runs[b]
    return over === undefined ? Number.NaN : median(row.runs[a]!.map((run, round) => measure(run) / measure(over[round]!)))
  }
  const rps = (run: Measure): number => run.requestsPerSecond
  const cpuOf = (run: Measure): number => run.cpuMicrosPerRequest
  const toBare = (row: Row, name: string): number => paired(row, name, 'bare', rps)
  const framework = (row: Row, measure: (row: Row, name: string) => string | number): string | number => (row.runs[FRAMEWORK] === undefined ? '–' : measure(row, FRAMEWORK))
  const after = (quiet: boolean): string => startName({ tree: 'after', quiet })
  const before = (quiet: boolean): string => startName({ tree: 'before', quiet })
  const cpu = (row: Row, name: string): number => median(row.runs[name]!.map(cpuOf))
  const label = (row: Row): string => `${row.records.toLocaleString('en-US')} · ${row.share} · ${row.page}`
  const hasBefore = starts.some((start) => start.tree === 'before')
  const quietFlags = [false, true]
  const logCost = (row: Row, tree: MockStart['tree']): number => {
    const quiet = row.runs[startName({ tree, quiet: true })]!
    return median(row.runs[startName({ tree, quiet: false })]!.map((run, round) => run.cpuMicrosPerRequest - quiet[round]!.cpuMicrosPerRequest))
  }

  const ratioRows = rows.map((row) => [
    row.records,
    row.share,
    row.page,
    `${row.items}${row.full ? '' : ' (not full)'}`,
    row.bodyBytes,
    median(row.runs['bare']!.map(rps)),
    framework(row, (framed, name) => ratio(toBare(framed, name))),
    ...names.map((name) => ratio(toBare(row, name))),
    ...(hasBefore ? quietFlags.map((quiet) => ratio(paired(row, after(quiet), before(quiet), rps))) : []),
  ])
  const cpuRows = rows.map((row) => [
    row.records,
    row.share,
    row.page,
    cpu(row, 'bare'),
    framework(row, cpu),
    ...names.map((name) => cpu(row, name)),
    ...(hasBefore ? quietFlags.map((quiet) => ratio(paired(row, after(quiet), before(quiet), cpuOf))) : []),
    // What the default start's request line costs: defaults minus --quiet in the same round, per tree.
    `${Math.round(logCost(row, 'after'))}${hasBefore ? ` / ${Math.round(logCost(row, 'before'))}` : ''}`,
  ])

  const judged = rows.filter((row) => row.records === GOAL_RECORDS)
  const afterNames = quietFlags.map(after)
  /** The row and start where `measure` is lowest (or, with `highest`, highest). */
  const worst = (candidates: Row[], measure: (row: Row, quiet: boolean) => number, highest = false) => {
    let found = { value: highest ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY, where: '' }
    for (const row of candidates) {
      for (const quiet of quietFlags) {
        const value = measure(row, quiet)
        if (highest ? value > found.value : value < found.value) found = { value, where: `${label(row)}, ${after(quiet)}` }
      }
    }
    return found
  }
  const everyRow = worst(judged, (row, quiet) => toBare(row, after(quiet)))
  const broadRow = worst(judged.filter(BROAD), (row, quiet) => toBare(row, after(quiet)))
  const floor = (candidates: Row[]): string => {
    const ratios = candidates.map((row) => toBare(row, FRAMEWORK))
    return `Fastify alone ${ratio(Math.min(...ratios))}–${ratio(Math.max(...ratios))} on these rows`
  }
  const goals: Goal[] = [
    {
      name: `every list row at ${GOAL_RECORDS.toLocaleString('en-US')} records vs bare node:http, req/s (worst row)`,
      target: `≥ ${GOAL_EVERY_ROW.toFixed(2)}×`,
      measured: `${ratio(everyRow.value)} (${everyRow.where}; ${floor(judged)})`,
      met: everyRow.value >= GOAL_EVERY_ROW,
    },
    {
      name: `broad list rows (30 % and 100 %, a page of 20) at ${GOAL_RECORDS.toLocaleString('en-US')} records vs bare node:http, req/s (worst)`,
      target: `≥ ${GOAL_BROAD_ROW.toFixed(2)}×`,
      measured: `${ratio(broadRow.value)} (${broadRow.where}; ${floor(judged.filter(BROAD))})`,
      met: broadRow.value >= GOAL_BROAD_ROW,
    },
  ]
  if (hasBefore) {
    // "Slower" is judged on the cost, CPU per request, which other load moves least.
    const costliest = worst(rows, (row, quiet) => paired(row, after(quiet), before(quiet), cpuOf), true)
    goals.push({
      name: `every list row vs the tree before (${baselineCommit!.slice(0, 10)}), CPU per request after/before (costliest row)`,
      target: '≤ 1.00×',
      measured: `${ratio(costliest.value)} (${costliest.where})`,
      met: costliest.value <= 1,
    })
  }
  goals.push(memory.goal)

  const pairs = hasBefore ? ['after/before', 'after/before --quiet'] : []
  const text = [
    `Lists: GET …/records by callers whose policies admit ≈ 1 / 3 / 30 / 100 % of the orders; pages of 20, the default (100)`,
    `and 1,000; ${CONNECTIONS} connections, interleaved rounds (${describeRounds(rows)}); the mock started by its CLI with its defaults`,
    `(a JSON log line per request to a file) and with --quiet${hasBefore ? `; "before" is ${baselineCommit!.slice(0, 10)}` : ''}. Ratios: medians of per-round ratios.`,
    table(['records', 'share', 'page', 'items', 'bytes', 'bare req/s', `${FRAMEWORK} × bare`, ...names.map((name) => `${name} × bare`), ...pairs], ratioRows),
    '',
    `CPU µs per request of each target (median over rounds), after/before by CPU, and the request line's cost (defaults − --quiet in the same round, µs${hasBefore ? ', after / before' : ''}):`,
    table(['records', 'share', 'page', 'bare', FRAMEWORK, ...names, ...pairs.map((pair) => `${pair} CPU`), 'log line µs'], cpuRows),
    '',
    'Request logging (what the mocks wrote to standard output):',
    table(
      ['target', 'requests', 'request lines', 'MiB'],
      logs.map((log) => [log.target, log.measuredRequests, log.requestLines, log.bytes / 2 ** 20]),
    ),
    '',
    memory.text,
  ].join('\n')
  return { name: 'lists', text, goals, data: { connections: CONNECTIONS, baseline: baselineCommit ?? null, starts: names, afterNames, rows, logs, memory: memory.data } }
}

function describeRounds(rows: Row[]): string {
  const byRecords = new Map(rows.map((row) => [row.records, row.runs['bare']!.length]))
  return [...byRecords].map(([records, rounds]) => `${rounds} at ${records.toLocaleString('en-US')}`).join(', ')
}
