// When its Redis goes away, a replica answers 503 problem+json with Retry-After — in a
// bounded time, never another 5xx — and serves again by itself when Redis is back: with
// everything acknowledged before when Redis kept it (append-only file), from the fixtures
// again when Redis came back empty.
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../support/free-port.ts'
import { startRedis, type RedisServer } from '../../support/redis-server.ts'
import { componentOrSkip, REDIS_SERVER } from '../../support/system-components.ts'
import { createMock, type RunningMock } from '../server.ts'
import { COMMAND_TIMEOUT_MS } from './redis-link.ts'

const redisBinary = await componentOrSkip(REDIS_SERVER, 'a replica whose Redis goes away')

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: any
  ms: number
}

async function startReplica(store: string): Promise<{ mock: RunningMock; call: (method: string, path: string, options?: { body?: unknown; token?: string }) => Promise<Reply> }> {
  const port = await freePort()
  const mock = await createMock({ store, port, control: true, passwordHashCost: 1024 })
  const call = async (method: string, path: string, { body, token }: { body?: unknown; token?: string } = {}): Promise<Reply> => {
    const started = performance.now()
    const response = await request(`${mock.listeningUrl}${path}`, {
      method: method as 'GET',
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(token !== undefined && { authorization: `Bearer ${token}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.body.text()
    return { status: response.statusCode, headers: response.headers, body: text === '' ? undefined : JSON.parse(text), ms: performance.now() - started }
  }
  return { mock, call }
}

/** Retries `probe` until it answers `status` (the replica recovers by itself), for at most 30 s. */
async function eventually(probe: () => Promise<Reply>, status: number): Promise<Reply> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const reply = await probe()
    if (reply.status === status || Date.now() > deadline) return reply
    await new Promise((resume) => setTimeout(resume, 200))
  }
}

function expectUnavailable(reply: Reply): void {
  expect(reply.status, JSON.stringify(reply.body)).toBe(503)
  expect(String(reply.headers['content-type'])).toMatch(/^application\/problem\+json/)
  expect(reply.body).toMatchObject({ status: 503, code: 'unavailable', type: 'urn:authconform:problem:unavailable' })
  expect(Number(reply.headers['retry-after'])).toBeGreaterThanOrEqual(1)
  // Bounded: a command that gets no answer is given up after COMMAND_TIMEOUT_MS.
  expect(reply.ms).toBeLessThan(COMMAND_TIMEOUT_MS * 3)
}

describe.skipIf(redisBinary === undefined)('a replica whose Redis goes away', () => {
  describe('with a Redis that keeps its data (append-only file)', () => {
    let redis: RedisServer
    let replica: Awaited<ReturnType<typeof startReplica>>
    let token: string
    let recordPath: string

    beforeAll(async () => {
      redis = await startRedis(redisBinary!, { durable: true })
      replica = await startReplica(redis.url)
      const { mock, call } = replica
      token = (await call('POST', '/v1/auth/token', { body: { api_key: mock.adminKey, api_secret: mock.adminSecret } })).body.access_token
      const record = await call('POST', '/v1/datasets/orders/records', { token, body: { status: 'paid' } })
      expect(record.status).toBe(201)
      recordPath = `/v1/datasets/orders/records/${record.body.id}`
    }, 60_000)

    afterAll(async () => {
      await replica?.mock.close()
      await redis?.remove()
    })

    it('answers 503 with Retry-After while Redis is stopped, then serves everything acknowledged before', async () => {
      const { mock, call } = replica
      await redis.stop()
      expectUnavailable(await call('GET', recordPath, { token }))
      expectUnavailable(await call('POST', '/v1/datasets/orders/records', { token, body: { status: 'open' } }))
      expectUnavailable(await call('POST', '/v1/auth/token', { body: { api_key: mock.adminKey, api_secret: mock.adminSecret } }))
      expectUnavailable(await call('POST', '/__control/clock', { body: { advance_seconds: 1 } }))
      // Discovery answers from configuration, without the store.
      expect((await call('GET', '/.well-known/auth-configuration')).status).toBe(200)
      await redis.start()
      expect((await eventually(() => call('GET', recordPath, { token }), 200)).status).toBe(200)
      expect((await call('POST', '/v1/datasets/orders/records', { token, body: { status: 'open' } })).status).toBe(201)
    }, 60_000)

    it('answers 503 within the command timeout when Redis stops answering, and recovers when it answers again', async () => {
      const { call } = replica
      redis.freeze()
      try {
        expectUnavailable(await call('GET', recordPath, { token }))
        expectUnavailable(await call('DELETE', recordPath, { token }))
      } finally {
        redis.thaw()
      }
      expect((await eventually(() => call('GET', recordPath, { token }), 200)).status).toBe(200)
    }, 60_000)
  })

  describe('with a Redis that comes back empty', () => {
    let redis: RedisServer
    let replica: Awaited<ReturnType<typeof startReplica>>

    beforeAll(async () => {
      redis = await startRedis(redisBinary!)
      replica = await startReplica(redis.url)
    }, 60_000)

    afterAll(async () => {
      await replica?.mock.close()
      await redis?.remove()
    })

    it('seeds it again: the mock serves its fixtures, and what Redis lost is gone', async () => {
      const { mock, call } = replica
      const credentials = { api_key: mock.adminKey, api_secret: mock.adminSecret }
      const token = (await call('POST', '/v1/auth/token', { body: credentials })).body.access_token
      const created = await call('POST', '/v1/keys', { token, body: { description: 'lost with Redis' } })
      expect(created.status).toBe(201)
      await redis.stop()
      await redis.start()
      const fresh = await eventually(() => call('POST', '/v1/auth/token', { body: credentials }), 200)
      expect(fresh.status).toBe(200)
      expect((await call('GET', `/v1/keys/${created.body.id}`, { token: fresh.body.access_token })).status).toBe(404)
      expect((await call('GET', '/v1/keys', { token })).body).toMatchObject({ code: 'token_revoked' })
      expect((await call('GET', '/v1/users', { token: fresh.body.access_token })).body.items.length).toBeGreaterThan(0)
    }, 60_000)
  })
})
