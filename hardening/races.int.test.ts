// Races over real sockets: what must hold when requests overlap — one refresh token buys
// exactly one refresh, nothing succeeds after a revocation has been answered, concurrent
// writes to one record or one dataset lose nothing, concurrent rotations leave one secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMock, type RunningMock } from '../mock/server.ts'
import { jsonClient, type JsonClient } from './support/http.ts'

const CONCURRENCY = 50

let mock: RunningMock
let http: JsonClient
let admin: string

beforeAll(async () => {
  mock = await createMock({ port: 0 })
  http = jsonClient(mock.url, CONCURRENCY + 8)
  admin = (await http.adminToken(mock.adminKey, mock.adminSecret)).access_token
})
afterAll(async () => {
  await http?.close()
  await mock?.close()
})

async function clientSession(): Promise<{ key: string; secret: string; access_token: string; refresh_token: string; session_id: string }> {
  const key = (await http.call('POST', '/v1/keys', { token: admin, body: { description: 'race client' } })).body
  const tokens = await http.adminToken(key.id, key.secret)
  return { key: key.id, secret: key.secret, ...tokens }
}

describe('refresh', () => {
  it(`${CONCURRENCY} concurrent refreshes of one refresh token: exactly one succeeds`, async () => {
    const session = await clientSession()
    const replies = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => http.call('POST', '/v1/auth/refresh', { body: { refresh_token: session.refresh_token } })),
    )
    const statuses = replies.map((reply) => reply.status)
    expect(statuses.filter((status) => status === 200)).toHaveLength(1)
    expect(statuses.filter((status) => status === 401)).toHaveLength(CONCURRENCY - 1)
    // The losers presented a used token: reuse detection ends the whole session, winner included.
    const winner = replies.find((reply) => reply.status === 200)!.body
    expect(winner.session_id).toBe(session.session_id)
    expect((await http.call('GET', '/v1/sessions', { token: winner.access_token })).status).toBe(401)
    expect((await http.call('POST', '/v1/auth/refresh', { body: { refresh_token: winner.refresh_token } })).status).toBe(401)
  })
})

describe('revocation racing with use', () => {
  it.each(['access', 'refresh'] as const)('nothing succeeds once the revocation of the %s token has answered', async (which) => {
    const session = await clientSession()
    let revokedAt = Number.POSITIVE_INFINITY
    const after: number[] = []
    const before: number[] = []
    let stop = false
    const use = async (): Promise<void> => {
      while (!stop) {
        const startedAt = performance.now()
        const reply = await http.call('GET', '/v1/sessions', { token: session.access_token })
        ;(startedAt > revokedAt ? after : before).push(reply.status)
      }
    }
    const users = Array.from({ length: 16 }, use)
    // Revoke only once the token has been seen to work under the load.
    while (!before.includes(200)) await new Promise((resolve) => setTimeout(resolve, 5))
    const revoke = await http.call('POST', '/v1/auth/revoke', { body: { token: session[`${which}_token`] } })
    revokedAt = performance.now()
    expect(revoke.status).toBe(200)
    const refreshAfter = http.call('POST', '/v1/auth/refresh', { body: { refresh_token: session.refresh_token } })
    await new Promise((resolve) => setTimeout(resolve, 150))
    stop = true
    await Promise.all(users)
    expect(after.length).toBeGreaterThan(0)
    expect(after.filter((status) => status !== 401)).toEqual([])
    expect((await refreshAfter).status).toBe(401)
  })
})

describe('concurrent writes', () => {
  let dataset: string
  beforeAll(async () => {
    dataset = `races_${Date.now().toString(36)}`
    expect((await http.call('POST', '/v1/datasets', { token: admin, body: { name: dataset } })).status).toBe(201)
  })

  it(`${CONCURRENCY} concurrent PATCHes of one record, each setting its own field: none is lost`, async () => {
    const record = (await http.call('POST', `/v1/datasets/${dataset}/records`, { token: admin, body: { base: true } })).body
    const replies = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) =>
        http.call('PATCH', `/v1/datasets/${dataset}/records/${record.id}`, { token: admin, body: { [`field_${i}`]: i } }),
      ),
    )
    expect(replies.map((reply) => reply.status)).toEqual(Array(CONCURRENCY).fill(200))
    const stored = (await http.call('GET', `/v1/datasets/${dataset}/records/${record.id}`, { token: admin })).body
    for (let i = 0; i < CONCURRENCY; i += 1) expect(stored[`field_${i}`]).toBe(i)
    expect(stored.base).toBe(true)
  })

  it(`${CONCURRENCY} concurrent creates in one dataset: every record is stored once, with its own id`, async () => {
    const replies = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) => http.call('POST', `/v1/datasets/${dataset}/records`, { token: admin, body: { n: i } })),
    )
    expect(replies.map((reply) => reply.status)).toEqual(Array(CONCURRENCY).fill(201))
    const ids = new Set(replies.map((reply) => reply.body.id))
    expect(ids.size).toBe(CONCURRENCY)
    const listed = (await http.call('GET', `/v1/datasets/${dataset}/records?limit=1000`, { token: admin })).body.items as { id: string; n?: number }[]
    const created = listed.filter((item) => ids.has(item.id))
    expect(created.map((item) => item.n).sort((a, b) => a! - b!)).toEqual(Array.from({ length: CONCURRENCY }, (_, i) => i))
  })

  it('20 concurrent rotations of one key: exactly one of the secrets handed out works', async () => {
    const { key } = await clientSession()
    const replies = await Promise.all(Array.from({ length: 20 }, () => http.call('POST', `/v1/keys/${key}/rotate`, { token: admin })))
    expect(replies.map((reply) => reply.status)).toEqual(Array(20).fill(200))
    const exchanges = await Promise.all(
      replies.map((reply) => http.call('POST', '/v1/auth/token', { body: { api_key: key, api_secret: reply.body.secret } })),
    )
    expect(exchanges.filter((exchange) => exchange.status === 200)).toHaveLength(1)
  })
})
