// The kept-list lane answers a list request exactly as the app would — same status,
// headers and bytes, same request line, the `data` limit counted once — and leaves every
// request it cannot answer so to the app, before counting or answering anything. Which of
// the two answered is told by the domain: only the app calls listRecords.
import type { FastifyInstance } from 'fastify'
import { exportJWK } from 'jose'
import { generateKeyPairSync } from 'node:crypto'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { PassThrough } from 'node:stream'
import { request } from 'undici'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClock } from '../clock.ts'
import type { DomainConfig, JsonWebKeyInput } from '../domain/types.ts'
import { DEFAULT_RATE_LIMITS } from '../domain/defaults.ts'
import { createDomain } from '../domain/index.ts'
import { ADDRESS, policy, testDomain } from '../domain/testing.ts'
import { createLogger } from '../logging.ts'
import { buildApp, type AppOptions } from './app.ts'
import { LEARNT_URL_LIMIT } from './kept-list-lane.ts'
import { rawAnswers } from '../../support/raw-http.ts'

const LIST = '/v1/datasets/orders/records?limit=20'
let app: FastifyInstance | undefined
afterEach(() => app?.close())

/** A mock of 12 orders, a key reading the 8 paid ones (a page of 20 is not full), and its token; `listed()` counts the app's list calls. */
async function start(options: { config?: Partial<DomainConfig>; app?: Partial<AppOptions> } = {}) {
  const t = testDomain(options.config)
  const { domain, clock } = t
  domain.createDataset({ name: 'orders' })
  const key = domain.createKey({ description: 'reader' })
  domain.createPolicy(policy({ subjects: [{ type: 'api_key', id: key.id }], filters: [{ field: 'status', op: 'eq', value: 'paid' }] }))
  for (let n = 0; n < 12; n++) domain.seedRecord({ dataset: 'orders', owner: key.id, fields: { status: n % 3 === 0 ? 'pending' : 'paid', n } })
  const token = (await domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })).tokens.access_token
  const appCalls = vi.spyOn(domain, 'listRecords')
  let log = ''
  const destination = new PassThrough().on('data', (chunk) => (log += chunk))
  app = await buildApp({ logger: createLogger({ level: 'info', destination }), clock: createClock(), domain: () => domain, ready: Promise.resolve(), ...options.app })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const get = async (path = LIST, headers: Record<string, string> = { authorization: `Bearer ${token}` }, method: 'GET' | 'HEAD' = 'GET') => {
    const answer = await request(base + path, { method, headers })
    return { status: answer.statusCode, headers: answer.headers as Record<string, string>, text: await answer.body.text() }
  }
  const lines = async () => {
    await new Promise((resolve) => setTimeout(resolve, 20))
    return log.trim().split('\n').map((line) => JSON.parse(line))
  }
  /** GETs of `paths` (or raw requests, ending in a blank line) written at once on one connection (pipelined); their answers in the order they came. */
  const pipelined = (paths: string[]) =>
    rawAnswers(
      base,
      paths.map((path) => (path.endsWith('\r\n\r\n') ? path : `GET ${path} HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer ${token}\r\n\r\n`)).join(''),
      paths.length,
    )
  return { domain, t, clock, key, token, get, pipelined, lines, listed: () => appCalls.mock.calls.length }
}

/** Headers that differ between any two answers: the date, and the window counted down. */
const stable = ({ date: _date, 'ratelimit-remaining': _remaining, ...rest }: Record<string, string>) => rest

describe('a URL the list route validated before, with its page kept', () => {
  it('is answered by the lane with the status, headers and bytes the app answered', async () => {
    const { get, listed } = await start()
    const byApp = await get()
    const byLane = await get()
    expect(listed()).toBe(1)
    expect(byLane.status).toBe(200)
    expect(byLane.text).toBe(byApp.text)
    expect(Object.keys(byLane.headers)).toEqual(Object.keys(byApp.headers))
    expect(stable(byLane.headers)).toEqual(stable(byApp.headers))
  })

  it.each([
    ["a page's origin", { origin: 'https://app.example' }, 'https://app.example', true],
    ['the opaque origin of a sandboxed page', { origin: 'null' }, 'null', true],
    ['an empty Origin (reflected as none)', { origin: '' }, undefined, false],
    ['no Origin (not a cross-origin request)', {}, undefined, false],
  ])('with %s, answers the CORS headers the app answers', async (_name, origin, allowed, exposes) => {
    const { get, listed, token } = await start()
    const headers = { authorization: `Bearer ${token}`, ...origin }
    const byApp = await get(LIST, headers)
    const byLane = await get(LIST, headers)
    expect(listed()).toBe(1)
    expect(byLane.text).toBe(byApp.text)
    expect(Object.keys(byLane.headers)).toEqual(Object.keys(byApp.headers))
    expect(stable(byLane.headers)).toEqual(stable(byApp.headers))
    expect(byLane.headers['access-control-allow-origin']).toBe(allowed)
    expect('access-control-expose-headers' in byLane.headers).toBe(exposes)
    expect(byLane.headers['vary']).toBe('Origin')
  })

  it('counts the data limit once per request, in the lane as in the app', async () => {
    const { get, listed } = await start()
    const remaining = []
    for (let n = 0; n < 4; n++) remaining.push(Number((await get()).headers['ratelimit-remaining']))
    expect(listed()).toBe(1)
    expect(remaining).toEqual([2999, 2998, 2997, 2996])
  })

  it('writes the request line the app writes, with its own request id', async () => {
    const { get, lines, key } = await start()
    await get()
    await get()
    const [byApp, byLane] = (await lines()).filter((line) => line.msg === 'request')
    expect(byLane).toEqual({ ...byApp, reqId: byLane.reqId, time: byLane.time, ms: byLane.ms })
    expect(byLane).toMatchObject({ method: 'GET', path: '/v1/datasets/orders/records', status: 200, subject: key.id })
    expect([byApp.reqId, byLane.reqId]).toEqual(['req-1', 'req-2'])
  })

  it("answers a token's first request after verifying its signature, without the app", async () => {
    const privateJwk = (await exportJWK(generateKeyPairSync('ed25519').privateKey)) as JsonWebKeyInput
    const { get, domain, t, key, listed } = await start({ config: { signingKey: { privateJwk, kid: 'lane-kid' } } })
    await get()
    // Issued by another instance over the same state and key: this one has never seen it.
    const other = createDomain({ clock: t.clock, store: t.store, config: t.config })
    const unseen = (await other.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })).tokens.access_token
    const authentications = vi.spyOn(domain, 'authenticate')
    const answer = await get(LIST, { authorization: `Bearer ${unseen}` })
    expect(authentications.mock.results[0]?.value).toBeInstanceOf(Promise)
    expect(answer.status).toBe(200)
    expect(listed()).toBe(1)
  })
})

describe("answers, the lane's as the app's, are written together at the end of the event loop's turn", () => {
  it.each([
    ['the lane', LIST],
    ['the app', '/.well-known/auth-configuration'],
  ])("by %s: a connection's first write comes after the turn read its three pipelined requests", async (_by, path) => {
    const { get, pipelined } = await start()
    await get()
    const events: string[] = []
    app!.server.prependListener('request', () => events.push('read'))
    // Ahead of the app's own listener, which defers the socket's writes: this sees them made.
    app!.server.prependListener('connection', (socket: Socket) => {
      const { _write: write, _writev: writev } = socket
      socket._write = (chunk, encoding, callback) => (events.push('written'), write.call(socket, chunk, encoding, callback))
      socket._writev = (chunks, callback) => (events.push('written'), writev!.call(socket, chunks, callback))
    })
    const answers = await pipelined([path, path, path])
    expect(answers.map(({ status }) => status)).toEqual([200, 200, 200])
    expect(events.slice(0, 4)).toEqual(['read', 'read', 'read', 'written'])
  })

  it('to a client gone before the turn ended: its answers are dropped, and the mock answers on', async () => {
    const { get, token } = await start()
    await get()
    const { port } = app!.server.address() as AddressInfo
    for (let n = 0; n < 20; n++) {
      const socket = connect(port, '127.0.0.1')
      socket.on('error', () => undefined)
      socket.write(`GET ${LIST} HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer ${token}\r\n\r\n`.repeat(3), () => socket.destroy())
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect((await get()).status).toBe(200)
  })

  it('before the answer to a request the parser cannot read, which follows in the same read', async () => {
    const { get, pipelined } = await start()
    const page = await get()
    const answers = await pipelined([LIST, 'NOT HTTP\r\n\r\n'])
    expect(answers.map(({ status }) => status)).toEqual([200, 400])
    expect(answers[0]!.text).toBe(page.text)
    expect(JSON.parse(answers[1]!.text)).toMatchObject({ code: 'invalid_request' })
  })

  it('before the answer to a CONNECT pipelined behind them', async () => {
    const { get, pipelined } = await start()
    const page = await get()
    const answers = await pipelined([LIST, LIST, 'CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n'])
    expect(answers.map(({ status }) => status)).toEqual([200, 200, 404])
    expect(answers[1]!.text).toBe(page.text)
  })

  it("in the connection's order, when the app answers a request between two of the lane's", async () => {
    const { get, pipelined, listed } = await start()
    const page = await get()
    const other = '/v1/datasets/orders/records?limit=5'
    const answers = await pipelined([LIST, other, LIST])
    expect(listed()).toBe(2)
    expect(answers.map(({ status }) => status)).toEqual([200, 200, 200])
    expect(answers[0]!.text).toBe(page.text)
    expect(JSON.parse(answers[1]!.text).items).toHaveLength(5)
    expect(answers[2]!.text).toBe(page.text)
  })
})

describe('a request the lane cannot answer exactly goes to the app, counted and answered once', () => {
  it.each([
    ['a URL not validated before', () => ({ path: '/v1/datasets/orders/records?limit=21' })],
    ['a HEAD', () => ({ method: 'HEAD' as const })],
  ])('%s', async (_name, variant) => {
    const { get, listed, token } = await start()
    await get()
    const { path = LIST, headers = {}, method = 'GET' } = variant() as { path?: string; headers?: Record<string, string>; method?: 'GET' | 'HEAD' }
    const answer = await get(path, { authorization: `Bearer ${token}`, ...headers }, method)
    expect(answer.status).toBe(200)
    expect(listed()).toBe(2)
  })

  it.each([
    ['no credentials', {}, 401, 'invalid_token'],
    ['a token that is not one', { authorization: 'Bearer not-a-token' }, 401, 'invalid_token'],
  ])('%s: the app refuses it (%s)', async (_name, headers, status, code) => {
    const { get } = await start()
    await get()
    const answer = await get(LIST, headers)
    expect(answer.status).toBe(status)
    expect(JSON.parse(answer.text)).toMatchObject({ code })
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer/)
  })

  it('a revoked key: the app refuses its token', async () => {
    const { get, domain, key } = await start()
    await get()
    domain.revokeKey(key.id)
    const answer = await get()
    expect(answer.status).toBe(401)
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer/)
  })

  it('an expired token: the app refuses it once the clock passes its exp', async () => {
    const { get, clock } = await start()
    await get()
    clock.advance(3601)
    expect((await get()).status).toBe(401)
  })

  it('a record written: the page is computed afresh by the app, then kept again', async () => {
    const { get, domain, key, listed } = await start()
    const before = await get()
    domain.seedRecord({ dataset: 'orders', owner: key.id, fields: { status: 'paid', n: -1 } })
    const after = await get()
    expect(listed()).toBe(2)
    expect(after.text).not.toBe(before.text)
    expect((await get()).text).toBe(after.text)
    expect(listed()).toBe(2)
  })

  it('an exhausted data window: the app answers 429, and the lane had counted nothing for it', async () => {
    const rateLimits = DEFAULT_RATE_LIMITS.map((rule) => (rule.scope === 'data' ? { ...rule, limit: 3 } : { ...rule }))
    const { get } = await start({ config: { rateLimits } })
    const statuses = []
    for (let n = 0; n < 5; n++) statuses.push((await get()).status)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    const refused = await get()
    expect(refused.headers['retry-after']).toBeDefined()
    expect(refused.headers['ratelimit-remaining']).toBe('0')
  })
})

describe('the URLs the lane learns are bounded', () => {
  it(`at ${LEARNT_URL_LIMIT}: past it the oldest goes to the app again, which teaches it again`, async () => {
    const { get, listed } = await start()
    await get()
    // LEARNT_URL_LIMIT other URLs of the route: the one without a query and every other limit.
    const others = ['/v1/datasets/orders/records', ...Array.from({ length: 1000 }, (_, n) => `/v1/datasets/orders/records?limit=${n + 1}`).filter((path) => path !== LIST)]
    expect(others).toHaveLength(LEARNT_URL_LIMIT)
    for (const path of others) expect((await get(path)).status).toBe(200)
    const learning = listed()
    await get()
    expect(listed()).toBe(learning + 1)
    await get()
    expect(listed()).toBe(learning + 1)
  })
})

describe('a fault of the lane itself', () => {
  it('leaves the request to the app instead of ending the process', async () => {
    const { get, domain, listed } = await start()
    const byApp = await get()
    // A page the lane cannot encode: it throws before any header is sent.
    vi.spyOn(domain, 'keptListPage').mockImplementation(() => ({}) as never)
    const answer = await get()
    expect(answer.status).toBe(200)
    expect(answer.text).toBe(byApp.text)
    expect(listed()).toBe(2)
  })
})

describe('where other stages hook into the list route, there is no lane', () => {
  it.each([
    ['the control extension', { control: { journal: { record: () => undefined } as never, token: undefined } }],
    ['a replaced seam (a defect)', { seams: { problemContentType: 'application/json' } }],
  ])('%s: the app answers every request', async (_name, options) => {
    const { get, listed } = await start({ app: options as Partial<AppOptions> })
    await get()
    await get()
    expect(listed()).toBe(2)
  })
})

describe('answers the app keeps for itself', () => {
  it('a caller with no read policy is refused by the app every time (refusals are never kept)', async () => {
    const { get, domain, listed } = await start()
    const other = domain.createKey({ description: 'no policy' })
    const token = (await domain.exchangeApiKey({ apiKey: other.id, apiSecret: other.secret, address: ADDRESS })).tokens.access_token
    await get()
    for (let n = 0; n < 2; n++) expect((await get(LIST, { authorization: `Bearer ${token}` })).status).toBe(403)
    expect(listed()).toBe(3)
  })
})

