// A mixed workload against a live server: N connections, each a client key working in a
// loop — token exchange, refresh (rotating its tokens), record list, record create,
// record patch — for a fixed time. Every answer is classified: success, a declared 429
// (with Retry-After), or unexpected (anything else, 5xx above all). Latencies and the
// process's memory are sampled along the way.
import { jsonClient, type JsonClient, type Reply } from '../support/http.ts'

export interface LoadOptions {
  baseUrl: string
  admin: { key: string; secret: string }
  connections: number
  durationSeconds: number
  /** Called about once a second with the requests so far. */
  onTick?: (requests: number) => void
}

export interface LoadReport {
  requests: number
  requestsPerSecond: number
  byOperation: Record<string, Record<number, number>>
  /** 429s that carried Retry-After on operations that declare 429. */
  declared429: number
  /** Everything else that was not a success, with one example per kind. */
  unexpected: { kind: string; count: number; example: string }[]
  latencyMs: { p50: number; p95: number; p99: number; max: number }
  memory: { rssMiB: number[]; heapUsedMiB: number[] }
}

type Operation = 'exchange' | 'refresh' | 'list' | 'create' | 'patch'
const MIX: [Operation, number][] = [['exchange', 1], ['refresh', 2], ['list', 4], ['create', 2], ['patch', 2]]
/** The operations whose contract declares a 429 answer. */
const DECLARES_429 = new Set<Operation>(['exchange', 'list', 'create', 'patch'])
const SUCCESS: Record<Operation, number> = { exchange: 200, refresh: 200, list: 200, create: 201, patch: 200 }

interface Worker {
  key: string
  secret: string
  access: string
  refresh: string
  records: string[]
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const http = jsonClient(options.baseUrl, options.connections + 4)
  try {
    const { dataset, workers } = await setUp(http, options)
    const latencies: number[] = []
    const byOperation: LoadReport['byOperation'] = {}
    const unexpected = new Map<string, { kind: string; count: number; example: string }>()
    let declared429 = 0
    const memory: LoadReport['memory'] = { rssMiB: [], heapUsedMiB: [] }
    const sample = () => {
      const usage = process.memoryUsage()
      memory.rssMiB.push(Math.round(usage.rss / 2 ** 20))
      memory.heapUsedMiB.push(Math.round(usage.heapUsed / 2 ** 20))
      options.onTick?.(latencies.length)
    }
    sample()
    const sampler = setInterval(sample, 1000)
    const started = performance.now()
    const deadline = started + options.durationSeconds * 1000
    const picks = MIX.flatMap(([operation, weight]) => Array<Operation>(weight).fill(operation))

    const work = async (worker: Worker, index: number) => {
      for (let turn = index; performance.now() < deadline; turn += 1) {
        const operation = picks[turn % picks.length]!
        const sent = performance.now()
        const reply = await perform(http, dataset, worker, operation, turn)
        latencies.push(performance.now() - sent)
        const counts = (byOperation[operation] ??= {})
        counts[reply.status] = (counts[reply.status] ?? 0) + 1
        if (reply.status === SUCCESS[operation]) continue
        if (reply.status === 429 && DECLARES_429.has(operation) && /^\d+$/.test(reply.headers['retry-after'] ?? '')) {
          declared429 += 1
          continue
        }
        const kind = `${operation} ${reply.status}`
        const entry = unexpected.get(kind) ?? { kind, count: 0, example: reply.text.slice(0, 300) }
        entry.count += 1
        unexpected.set(kind, entry)
      }
    }
    await Promise.all(workers.map(work))
    clearInterval(sampler)
    sample()
    const seconds = (performance.now() - started) / 1000
    latencies.sort((a, b) => a - b)
    const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 10) / 10
    return {
      requests: latencies.length,
      requestsPerSecond: Math.round(latencies.length / seconds),
      byOperation,
      declared429,
      unexpected: [...unexpected.values()],
      latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) },
      memory,
    }
  } finally {
    await http.close()
  }
}

async function perform(http: JsonClient, dataset: string, worker: Worker, operation: Operation, turn: number): Promise<Reply> {
  const records = `/v1/datasets/${dataset}/records`
  switch (operation) {
    case 'exchange': {
      const reply = await http.call('POST', '/v1/auth/token', { body: { api_key: worker.key, api_secret: worker.secret } })
      if (reply.status === 200) Object.assign(worker, { access: reply.body.access_token, refresh: reply.body.refresh_token })
      return reply
    }
    case 'refresh': {
      const reply = await http.call('POST', '/v1/auth/refresh', { body: { refresh_token: worker.refresh } })
      if (reply.status === 200) Object.assign(worker, { access: reply.body.access_token, refresh: reply.body.refresh_token })
      return reply
    }
    case 'list':
      return http.call('GET', `${records}?limit=20`, { token: worker.access })
    case 'create': {
      const reply = await http.call('POST', records, { token: worker.access, body: { turn, note: `load ${turn}` } })
      if (reply.status === 201) worker.records.push(reply.body.id)
      if (worker.records.length > 50) worker.records.shift()
      return reply
    }
    case 'patch': {
      const id = worker.records[turn % Math.max(1, worker.records.length)]
      if (id === undefined) return http.call('GET', `${records}?limit=1`, { token: worker.access })
      return http.call('PATCH', `${records}/${id}`, { token: worker.access, body: { turn } })
    }
  }
}

/** One client key per connection, a dataset of their own, and a policy that lets them work in it. */
async function setUp(http: JsonClient, options: LoadOptions): Promise<{ dataset: string; workers: Worker[] }> {
  const admin = (await http.adminToken(options.admin.key, options.admin.secret)).access_token
  const must = (reply: Reply, status: number, what: string) => {
    if (reply.status !== status) throw new Error(`load set-up: ${what} answered ${reply.status} ${reply.text.slice(0, 200)}`)
    return reply.body
  }
  const dataset = `load_${Date.now().toString(36)}`
  must(await http.call('POST', '/v1/datasets', { token: admin, body: { name: dataset } }), 201, 'create dataset')
  const keys = await Promise.all(
    Array.from({ length: options.connections }, async (_, i) =>
      must(await http.call('POST', '/v1/keys', { token: admin, body: { description: `load worker ${i}` } }), 201, 'create key'),
    ),
  )
  must(
    await http.call('POST', '/v1/policies', {
      token: admin,
      body: {
        description: 'load workers',
        subjects: keys.map((key) => ({ type: 'api_key', id: key.id })),
        resources: [dataset],
        actions: ['create', 'read', 'update'],
      },
    }),
    201,
    'create policy',
  )
  const workers = await Promise.all(
    keys.map(async (key) => {
      const tokens = await http.adminToken(key.id, key.secret)
      return { key: key.id, secret: key.secret, access: tokens.access_token, refresh: tokens.refresh_token, records: [] }
    }),
  )
  return { dataset, workers }
}
