// The memory of kept list answers at their caps: a mock (createMock in a child process, with
// --expose-gc) is asked more distinct lists than it keeps — every page size from 1 to 1,000
// of the broadest caller (large pages: the byte and record caps bind), then 12 page sizes
// after each of 1,000 cursors (small pages: the count caps bind) — and its heap and
// external memory are read after a full GC before and after. Reported beside the caps.
import { KEPT_LIST_LIMITS } from '../mock/domain/kept-lists.ts'
import { PAGE_BODY_LIMITS } from '../mock/http/operations/records-json.ts'
import { DATASET, LIST_CALLERS, writeListFixtures } from './bench-fixtures.ts'
import type { MemorySample } from './child-protocol.ts'
import { call, exchange, expectJson, forEachConcurrently } from './http.ts'
import { startMock } from './processes.ts'
import { mebibytes, table, type BenchContext, type Goal } from './report.ts'
import { UNLIMITED } from './throughput.ts'

const RECORDS = 1000
const SMALL_LIMITS = 12
/** The caps' own bytes (bodies) plus room for the pages, their keys and entries (~5 MiB measured). */
const BOUND_MIB = mebibytes(PAGE_BODY_LIMITS.maxBytes) + 16

export interface KeptMemory {
  text: string
  goal: Goal
  data: unknown
}

interface Stage {
  stage: string
  memory: MemorySample
  requests: number
  bytesAnswered: number
}

export async function measureKeptMemory(ctx: BenchContext): Promise<KeptMemory> {
  const fixtures = writeListFixtures({ records: RECORDS })
  const mock = await startMock('mock-kept-memory', { fixtures: fixtures.file, rateLimits: UNLIMITED }, { profileDir: ctx.profileDir, exposeGc: true })
  const stages: Stage[] = []
  try {
    const { access_token: token } = await exchange(mock.url, LIST_CALLERS.at(-1)!.key)
    const url = `${mock.url}/v1/datasets/${DATASET}/records`
    let requests = 0
    let bytesAnswered = 0
    const list = async (query: string): Promise<{ next_cursor: string | null }> => {
      const answer = await call('GET', `${url}?${query}`, { token })
      requests++
      bytesAnswered += Buffer.byteLength(answer.body)
      return expectJson(200, Promise.resolve(answer), 'list')
    }
    const sample = async (stage: string): Promise<void> => {
      stages.push({ stage, memory: await mock.memory(), requests, bytesAnswered })
    }
    await list('limit=1')
    await sample('started (one list answered)')

    ctx.log('lists: kept answers memory — 1,000 large pages')
    await forEachConcurrently(1000, 8, async (index) => {
      await list(`limit=${index + 1}`)
    })
    await sample('1,000 page sizes (1–1,000 records)')

    ctx.log(`lists: kept answers memory — ${SMALL_LIMITS} page sizes after each of 1,000 cursors`)
    const cursors: string[] = []
    for (let cursor: string | null = null, index = 0; index < RECORDS - 1; index++) {
      cursor = (await list(`limit=1${cursor === null ? '' : `&cursor=${cursor}`}`)).next_cursor
      if (cursor === null) break
      cursors.push(cursor)
    }
    await forEachConcurrently(cursors.length * SMALL_LIMITS, 16, async (index) => {
      await list(`limit=${(index % SMALL_LIMITS) + 1}&cursor=${cursors[Math.floor(index / SMALL_LIMITS)]}`)
    })
    await sample(`+ ${(cursors.length * SMALL_LIMITS).toLocaleString('en-US')} small pages after cursors`)
  } finally {
    await mock.stop()
    fixtures.remove()
  }
  return summarize(stages)
}

const kept = (stage: Stage): number => stage.memory.heapUsedBytes + stage.memory.externalBytes

function summarize(stages: Stage[]): KeptMemory {
  const [base] = stages as [Stage]
  const growth = Math.max(...stages.map((stage) => kept(stage) - kept(base)))
  const rows = stages.map((stage) => [
    stage.stage,
    stage.requests,
    mebibytes(stage.bytesAnswered),
    mebibytes(stage.memory.heapUsedBytes),
    mebibytes(stage.memory.externalBytes),
    mebibytes(kept(stage) - kept(base)),
    mebibytes(stage.memory.rssBytes),
  ])
  const caps = `caps: ${KEPT_LIST_LIMITS.maxEntries.toLocaleString('en-US')} pages / ${KEPT_LIST_LIMITS.maxItems.toLocaleString('en-US')} records kept (domain), ${PAGE_BODY_LIMITS.maxEntries.toLocaleString('en-US')} bodies / ${mebibytes(PAGE_BODY_LIMITS.maxBytes)} MiB of bodies (HTTP)`
  return {
    text: [
      `Kept list answers at their caps (${RECORDS.toLocaleString('en-US')} records; heap and external memory after a full GC; ${caps}):`,
      table(['stage', 'requests', 'MiB answered', 'heap MiB', 'external MiB', 'growth MiB', 'RSS MiB'], rows),
    ].join('\n'),
    goal: {
      name: 'memory of kept list answers at their caps (heap + external growth after GC)',
      target: `≤ ${BOUND_MIB} MiB`,
      measured: `${mebibytes(growth).toFixed(1)} MiB`,
      met: mebibytes(growth) <= BOUND_MIB,
    },
    data: { records: RECORDS, limits: { lists: KEPT_LIST_LIMITS, bodies: PAGE_BODY_LIMITS }, stages },
  }
}
