// Memory: the mock's RSS and heap after issuing 100k tokens and revoking half, then after the
// control clock is advanced past every expiry (refresh TTL + the retention the mock keeps
// late tokens answerable for): the expired state must be purged and the memory come back.
// Heap figures follow a full GC in the target (started with --expose-gc).
import { CALLER, DATASET, writeBenchFixtures } from './bench-fixtures.ts'
import { call, exchange, expectJson, forEachConcurrently } from './http.ts'
import { startMock } from './processes.ts'
import type { MemorySample } from './child-protocol.ts'
import { mebibytes, ratio, table, type BenchContext, type BenchOutcome, type Goal } from './report.ts'
import { UNLIMITED } from './throughput.ts'

const CONCURRENCY = 16
const REFRESH_TTL_SECONDS = 43_200
/** The domain keeps ended/expired sessions this long past their last expiry (retentionSeconds). */
const RETENTION_SECONDS = 86_400
const ADVANCE_SECONDS = REFRESH_TTL_SECONDS + RETENTION_SECONDS + 3600

interface Stage {
  stage: string
  memory: MemorySample
  seconds?: number
}

export async function runMemory(ctx: BenchContext): Promise<BenchOutcome> {
  const tokenCount = ctx.quick ? 20_000 : 100_000
  const fixtures = writeBenchFixtures({ records: 100 })
  const mock = await startMock(
    'mock-memory',
    { fixtures: fixtures.file, rateLimits: UNLIMITED, control: true, refreshTtl: REFRESH_TTL_SECONDS },
    { profileDir: ctx.profileDir, exposeGc: true },
  )
  const stages: Stage[] = []
  const listUrl = `${mock.url}/v1/datasets/${DATASET}/records?limit=1`
  try {
    const sample = async (stage: string, seconds?: number): Promise<void> => {
      stages.push({ stage, memory: await mock.memory(), ...(seconds !== undefined && { seconds }) })
    }
    await exchange(mock.url, CALLER) // first request: lazily built routes and caches exist from here on
    await sample('started')

    ctx.log(`memory: issuing ${tokenCount} token pairs`)
    const toRevoke: string[] = []
    let kept = ''
    let started = performance.now()
    await forEachConcurrently(tokenCount, CONCURRENCY, async (index) => {
      const { access_token: token } = await exchange(mock.url, CALLER)
      if (index % 2 === 0) toRevoke.push(token)
      else kept = token
    })
    await sample(`${tokenCount.toLocaleString('en-US')} sessions issued`, (performance.now() - started) / 1000)

    ctx.log(`memory: revoking ${toRevoke.length} sessions by their access tokens`)
    started = performance.now()
    await forEachConcurrently(toRevoke.length, CONCURRENCY, async (index) => {
      await expectJson(200, call('POST', `${mock.url}/v1/auth/revoke`, { body: { token: toRevoke[index] } }), 'revoke')
    })
    await sample('half revoked', (performance.now() - started) / 1000)
    await expectCode(call('GET', listUrl, { token: toRevoke[0]! }), 'token_revoked')
    await expectJson(200, call('GET', listUrl, { token: kept }), 'a kept token')

    await expectJson(200, call('POST', `${mock.url}/__control/clock`, { body: { advance_seconds: ADVANCE_SECONDS } }), 'clock advance')
    await sample(`clock +${ADVANCE_SECONDS} s (purged)`)
    await expectCode(call('GET', listUrl, { token: kept }), 'token_expired')
    toRevoke.length = 0
  } finally {
    await mock.stop()
    fixtures.remove()
  }
  return summarize(stages, tokenCount)
}

async function expectCode(answer: ReturnType<typeof call>, code: string): Promise<void> {
  const { status, body } = await answer
  if (status !== 401 || (JSON.parse(body) as { code?: string }).code !== code) {
    throw new Error(`expected 401 ${code}, got ${status}: ${body.slice(0, 200)}`)
  }
}

function summarize(stages: Stage[], tokenCount: number): BenchOutcome {
  const [base, issued, revoked, purged] = stages as [Stage, Stage, Stage, Stage]
  const growth = issued.memory.heapUsedBytes - base.memory.heapUsedBytes
  const left = purged.memory.heapUsedBytes - base.memory.heapUsedBytes
  const share = left / growth
  const rows = stages.map((stage) => [
    stage.stage,
    mebibytes(stage.memory.rssBytes),
    mebibytes(stage.memory.heapUsedBytes),
    stage.seconds === undefined ? '' : `${stage.seconds.toFixed(1)} s`,
  ])
  const goals: Goal[] = [
    {
      name: 'heap left after purge, as a share of the growth from issuing',
      target: '≤ 0.10×',
      measured: ratio(share),
      met: share <= 0.1,
    },
  ]
  const text = [
    `Memory: ${tokenCount.toLocaleString('en-US')} token exchanges, half revoked by access token, then the clock advanced past every expiry; heap after full GC`,
    table(['stage', 'RSS MiB', 'heap used MiB', 'took'], rows),
    `issuing: ${Math.round(tokenCount / issued.seconds!)} exchanges/s; revoking: ${Math.round(tokenCount / 2 / revoked.seconds!)} revocations/s (${CONCURRENCY} in flight)`,
  ].join('\n')
  return { name: 'memory', text, goals, data: { tokenCount, concurrency: CONCURRENCY, advanceSeconds: ADVANCE_SECONDS, stages } }
}
