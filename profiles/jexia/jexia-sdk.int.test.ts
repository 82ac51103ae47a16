// A real client that no one here wrote: Jexia's own SDK (jexia-sdk-js 5.12.0, its Node
// entry) against `authconform mock --profile jexia`, run as users run it.
// It logs in with an API key and secret, and as a project user; reads datasets with a
// `where` filter and must get exactly the records the fixtures' policies allow (worked out
// here from the fixture file, not asked of the mock); and keeps working across an access
// token's expiry, which the mock's clock passes through the control extension while the
// SDK's own clock and timers (faked in this process) pass it too: the SDK refreshes on
// its own, as it does 10 minutes before a token expires.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { dataOperations, field, jexiaClient, UMSModule } from 'jexia-sdk-js/node.js'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixtures } from '../../mock/fixtures/load-fixtures.ts'
import { DEFAULT_FIXTURES } from '../../mock/options.ts'
import { killedOnExit, stopChild } from '../../support/child-processes.ts'

const BIN = fileURLToPath(new URL('../../bin/authconform.js', import.meta.url))
/** The profile's access and refresh lifetime ("the access token is valid for 2 hours"). */
const LIFETIME = 7200
/** The SDK refreshes this long before a token expires (internal/utils/token.ts delayTokenRefresh). */
const SDK_REFRESH_AHEAD = 600

const CLIENT_KEY = { key: 'key_devClient000000000000000', secret: 'sk_devClientSecretNotForProduction000000000' }
const ALICE = { id: 'usr_alice000000000000000', email: 'alice@example.test', password: 'alice-dev-password' }

type Row = Record<string, unknown> & { id: string; owner: string }

let mock: ChildProcess
let url: string
let records: Record<string, Row[]>

beforeAll(async () => {
  mock = killedOnExit(spawn(process.execPath, [BIN, 'mock', '--profile', 'jexia', '--port', '0', '--control', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] }))
  url = await listeningUrl(mock)
  const fixtures = await loadFixtures(DEFAULT_FIXTURES)
  records = Object.fromEntries(fixtures.datasets.map((dataset) => [dataset.name, dataset.records.map((record) => ({ ...record.fields, id: record.id, owner: record.owner }))]))
})

afterAll(() => stopChild(mock))

afterEach(async () => {
  vi.useRealTimers()
  await control('/__control/reset', { scope: 'all' })
})

/** A request the SDK made; `status` once its answer has come. */
interface Sent {
  method: string
  path: string
  authorization?: string
  status?: number
}

/** The SDK's requests as it makes them (the SDK takes any fetch; this one records, then sends with Node's). */
function recordingFetch() {
  const sent: Sent[] = []
  const fetch = async (input: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
    const request: Sent = { method: init.method ?? 'GET', path: new URL(input).pathname, ...(init.headers?.Authorization && { authorization: init.headers.Authorization }) }
    sent.push(request)
    const response = await globalThis.fetch(input, init)
    request.status = response.status
    return response
  }
  return { fetch, sent }
}

/** Moves the mock's clock (the control extension) and this process's faked clock and timers together. */
async function passTime(seconds: number): Promise<void> {
  await control('/__control/clock', { advance_seconds: seconds })
  await vi.advanceTimersByTimeAsync(seconds * 1000)
}

const ids = (rows: readonly { id?: unknown }[]) => rows.map((row) => row.id).sort()

/** The SDK's client on this process's faked clock and timers, with its requests recorded. */
function sdk() {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'], now: Date.now() })
  const { fetch, sent } = recordingFetch()
  return { client: jexiaClient(fetch as never), sent }
}

/**
 * Across the first access token's expiry: the SDK refreshes on its own (its timer, 10 minutes
 * before the expiry), the mock refuses the first token afterwards, and the same read answers
 * the same records with the new one.
 */
async function keepsWorkingAcrossExpiry(sent: ReturnType<typeof sdk>['sent'], dataset: string, read: () => Promise<Row[]>, expected: Row[]) {
  const firstToken = sent.at(-1)!.authorization!
  await passTime(LIFETIME - SDK_REFRESH_AHEAD + 100)
  // Answered, not only sent: the clock must not pass the refresh token's expiry while the
  // refresh is still on its way to the mock (a loaded machine took that long, and the SDK
  // then logged itself out).
  const refresh = await vi.waitUntil(() => sent.find((request) => request.path === '/auth/refresh' && request.status !== undefined), { timeout: 10_000, interval: 20 })
  expect(refresh.status).toBe(200)
  await passTime(SDK_REFRESH_AHEAD)
  const refused = await globalThis.fetch(`${url}/ds/${dataset}`, { headers: { authorization: firstToken } })
  expect(refused.status).toBe(401)
  expect(ids(await read())).toEqual(ids(expected))
  expect(sent.at(-1)!.authorization).not.toBe(firstToken)
  expect(sent.filter((request) => request.path.startsWith('/auth')).map((request) => request.path)).toEqual(['/auth', '/auth/refresh'])
}

describe('jexia-sdk-js 5.12.0 against authconform mock --profile jexia', () => {
  it('logs in with an API key and secret, reads with a where filter exactly the records its policies allow, and keeps working across an access token expiry by refreshing itself', async () => {
    const { client, sent } = sdk()
    const ds = dataOperations()
    await client.init({ projectURL: url, ...CLIENT_KEY }, ds)
    try {
      expect(sent[0]).toEqual({ method: 'POST', path: '/auth', status: 200 })
      // The client key's one policy: read posts whose `published` is true (fixtures/default.yaml).
      const where = field('title').isLike('%o%').and(field('tags').isNotNull())
      const expected = records.posts!.filter((post) => post.published === true && String(post.title).includes('o') && post.tags != null)
      const read = () => ds.dataset('posts').select().where(where).toPromise() as Promise<Row[]>
      expect(expected.length).toBeGreaterThan(3)
      expect(ids(await read())).toEqual(ids(expected))
      await expect(ds.dataset('orders').select().toPromise()).rejects.toMatchObject({ httpStatus: { code: 403 } })
      await keepsWorkingAcrossExpiry(sent, 'posts', read, expected)
    } finally {
      await client.terminate()
    }
  })

  it('signs in as a project user, reads with a where filter exactly the records its policies allow, and keeps working across an access token expiry by refreshing itself', async () => {
    const { client, sent } = sdk()
    const ds = dataOperations()
    const ums = new UMSModule()
    await client.init({ projectURL: url }, ums, ds)
    try {
      const user = await ums.signIn({ email: ALICE.email, password: ALICE.password, default: true }).toPromise()
      expect(user).toMatchObject({ id: ALICE.id })
      // Alice is registered: she reads her own orders (policy 1) and every order over 100
      // (policy 2) — OR across policies; the where filter then keeps the paid and shipped ones.
      const where = field('status').isEqualTo('paid').or(field('status').isEqualTo('shipped'))
      const expected = records.orders!.filter(
        (order) => (order.owner === ALICE.id || (typeof order.total === 'number' && order.total > 100)) && ['paid', 'shipped'].includes(order.status as string),
      )
      const read = () => ds.dataset('orders').select().where(where).toPromise() as Promise<Row[]>
      expect(expected.some((order) => order.owner !== ALICE.id)).toBe(true)
      expect(ids(await read())).toEqual(ids(expected))
      await keepsWorkingAcrossExpiry(sent, 'orders', read, expected)
    } finally {
      await client.terminate()
    }
  })
})

async function control(path: string, body: object): Promise<void> {
  const answer = await globalThis.fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (answer.status >= 300) throw new Error(`${path} answered ${answer.status}: ${await answer.text()}`)
}

function listeningUrl(child: ChildProcess): Promise<string> {
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the mock printed no URL: ${output}`)), 60_000)
    const read = (chunk: Buffer) => {
      output += chunk
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    child.once('exit', (code) => reject(new Error(`the mock exited (${code}): ${output}`)))
  })
}
