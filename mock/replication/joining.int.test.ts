// A replica joining a shared store: it waits for a Redis that holds its writes for a while
// instead of failing to start, and it never seeds a store that another replica seeded
// between its look and its lock (Redis refused that seeding's commit as one for another
// store: the replica crashed at start, or took its store for lost and answered 503).
import { PassThrough } from 'node:stream'
import { createClient } from 'redis'
import { request } from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startRedis, type RedisServer } from '../../support/redis-server.ts'
import { componentOrSkip, REDIS_SERVER } from '../../support/system-components.ts'
import { createMock, type RunningMock } from '../server.ts'
import { COMMAND_TIMEOUT_MS, KEY_PREFIX } from './redis-link.ts'

const redisBinary = await componentOrSkip(REDIS_SERVER, 'a replica joining a shared store')
/** Every replica announces one issuer, as replicas of one mock must. */
const OPTIONS = { port: 0, publicUrl: 'http://mock.test', passwordHashCost: 1024 }

/** Polls `probe` every 10 ms until it holds (within the test's timeout). */
async function until(probe: () => Promise<boolean>): Promise<void> {
  while (!(await probe())) await new Promise((resolve) => setTimeout(resolve, 10))
}

async function tokenStatus(mock: RunningMock): Promise<number> {
  const response = await request(`${mock.listeningUrl}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ api_key: mock.adminKey, api_secret: mock.adminSecret }),
  })
  await response.body.dump()
  return response.statusCode
}

describe.skipIf(redisBinary === undefined)('a replica joining a shared store', () => {
  let redis: RedisServer
  let admin: ReturnType<typeof createClient>
  const mocks: RunningMock[] = []

  beforeEach(async () => {
    redis = await startRedis(redisBinary!)
    admin = createClient({ url: redis.url })
    await admin.connect()
  })

  afterEach(async () => {
    await Promise.all(mocks.splice(0).map((mock) => mock.close()))
    await admin?.close()
    await redis?.remove()
  })

  it('waits for a Redis that holds writes longer than a command may take, instead of failing to start', async () => {
    // The seeding's first write (its lock) gets no answer within COMMAND_TIMEOUT_MS and runs
    // only when the pause ends: the replica must find the lock its own then.
    const pauseMs = COMMAND_TIMEOUT_MS * 2 + 1000
    await admin.sendCommand(['CLIENT', 'PAUSE', String(pauseMs), 'WRITE'])
    const started = Date.now()
    const mock = await createMock({ ...OPTIONS, store: redis.url })
    mocks.push(mock)
    expect(Date.now() - started).toBeGreaterThanOrEqual(pauseMs - 500)
    expect(await tokenStatus(mock)).toBe(200)
  }, 60_000)

  it('joins a store seeded between its look and its lock, instead of seeding it again', async () => {
    // A seeded store, made in database 1 by a replica with the same options.
    const seeder = await createMock({ ...OPTIONS, store: redis.url.replace(/\/0$/, '/1') })
    await seeder.close()
    const inOne = createClient({ url: redis.url.replace(/\/0$/, '/1') })
    await inOne.connect()
    const keys = (await inOne.sendCommand(['KEYS', `${KEY_PREFIX}*`])) as string[]
    const generation = await inOne.sendCommand(['HGET', `${KEY_PREFIX}meta`, 'generation'])
    await inOne.close()
    expect(generation).toEqual(expect.any(String))
    // The joining replica polls while "another replica" (a lock of ours) seeds database 0.
    await admin.sendCommand(['SET', `${KEY_PREFIX}seeding`, 'another replica', 'PX', '60000'])
    let log = ''
    const logDestination = new PassThrough().on('data', (chunk) => (log += chunk))
    const joining = createMock({ ...OPTIONS, store: redis.url, logLevel: 'warn', logDestination })
    await until(async () => ((await admin.sendCommand(['CLIENT', 'LIST'])) as string).includes(' cmd=set '))
    // The other replica commits and lets its lock go, in writes that Redis holds in a pause:
    // the joining replica's next look (a read) finds no store yet, and its lock (a write)
    // runs after them — into a seeded store with no lock. Redis runs held writes in the
    // order they came, and the pause is shorter than a command may take.
    await admin.sendCommand(['CLIENT', 'PAUSE', String(COMMAND_TIMEOUT_MS - 500), 'WRITE'])
    const commit = admin.multi().addCommand(['SELECT', '1'])
    for (const key of keys) commit.addCommand(['COPY', key, key, 'DB', '0'])
    await commit.addCommand(['SELECT', '0']).addCommand(['DEL', `${KEY_PREFIX}seeding`]).exec()
    const mock = await joining
    mocks.push(mock)
    expect(await admin.sendCommand(['HGET', `${KEY_PREFIX}meta`, 'generation'])).toBe(generation)
    expect(await tokenStatus(mock)).toBe(200)
    // Not by a seeding that Redis refused as being for another store ("lost its state").
    expect(log).toBe('')
  }, 60_000)
})
