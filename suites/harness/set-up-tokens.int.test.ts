// The suites' set-up callers outlive their access tokens: held past a whole access token
// lifetime, each still authenticates (its session was obtained again), while the tokens
// a case holds for their own sake (given.session, a subject `held` for PERM-012) stay the
// very token, and expire. Time passes for both sides at once and deterministically: the
// harness's clock (performance, faked) and the mock's control clock move together.
import { faker } from '@faker-js/faker/locale/en'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMock, type RunningMock } from '../../mock/server.ts'
import type { TargetConfig } from './target-config.ts'

const { config } = vi.hoisted(() => ({ config: {} as TargetConfig }))
// The harness reads its configuration from vitest's provide/inject in a verify run.
vi.mock('./target.ts', () => {
  let count = 0
  return {
    targetConfig: () => config,
    uniqueName: (kind: string) => `ac-${config.runId}-tokens-${kind}${(count += 1)}`,
    target: {
      get baseUrl() { return config.baseUrl },
      get discovery() { return config.discovery },
      get features() { return new Set(config.discovery.features) },
      get admin() { return config.admin },
      get runId() { return config.runId },
      get faker() { return faker },
      get timeStrategy() { return config.timeStrategy },
    },
  }
})

const { api, control, expectAccessRejected, given, raw } = await import('./index.ts')
const { keySubject, userSubject } = await import('../permissions/support.ts')
type Credential = import('./index.ts').Credential

/** Seconds: short, as on a target configured for quick expiry. */
const ACCESS_TTL = 6
let mock: RunningMock

beforeAll(async () => {
  mock = await createMock({ port: 0, accessTtl: ACCESS_TTL, control: true, passwordHashCost: 1024 })
  const discovery = await (await fetch(`${mock.url}/.well-known/auth-configuration`)).json()
  const exchange = await fetch(`${mock.url}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ api_key: mock.adminKey, api_secret: mock.adminSecret }),
  })
  Object.assign(config, {
    baseUrl: mock.url,
    discovery,
    admin: { key: mock.adminKey, secret: mock.adminSecret },
    adminTokens: await exchange.json(),
    runId: 'proof',
    seed: 1,
    timeStrategy: 'control',
    maxWaitSeconds: 0,
    timeoutMs: 10_000,
    controlToken: undefined,
    keep: false,
    deadline: Number.MAX_SAFE_INTEGER,
  } satisfies TargetConfig)
})

afterAll(async () => {
  await mock?.close()
})

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance'] })
})

afterEach(() => {
  vi.useRealTimers()
})

/** `seconds` pass for the harness and for the target alike. */
async function pass(seconds: number): Promise<void> {
  expect((await control.request('POST', '/__control/clock', { advance_seconds: seconds })).status).toBe(200)
  vi.advanceTimersByTime(seconds * 1000)
}

// First: the admin client still holds the up-front exchange's tokens here.
describe('the admin client', () => {
  const adminSessions = async () => {
    const listed = await api.admin.get('/v1/sessions')
    expect(listed.status).toBe(200)
    return listed.body.items.length
  }
  const burst = async () => (await Promise.all(Array.from({ length: 12 }, () => api.admin.get('/v1/keys')))).map((response) => response.status)

  it('a burst refused together opens one session between them, which then renews by a refresh', async () => {
    const before = await adminSessions()
    await pass(ACCESS_TTL + 1)
    expect(await burst(), 'the up-front tokens have expired').toEqual(Array(12).fill(200))
    expect(await adminSessions(), 'one exchange for the whole burst').toBe(before + 1)
    await pass(ACCESS_TTL + 1)
    expect(await burst(), 'its own session, renewed').toEqual(Array(12).fill(200))
    expect(await adminSessions(), 'renewed by a refresh: no new session').toBe(before + 1)
  })
})

const whoAmI = (credential: Credential) => api.as(credential).get('/v1/permissions/me')

/** [a caller the suites set up, a request that presents it]. */
const SET_UP_CALLERS: Array<[string, () => Promise<() => Promise<{ status: number }>>]> = [
  ['given.bearer of a key', async () => {
    const credential = await given.bearer(await given.key())
    return () => whoAmI(credential)
  }],
  ['given.bearer of a user', async () => {
    const credential = await given.bearer(await given.user())
    return () => whoAmI(credential)
  }],
  ['given.bearer of an admin key, sent raw (bad-requests)', async () => {
    const credential = await given.bearer(await given.key({ role: 'admin' }))
    return () => raw({ method: 'GET', path: '/v1/keys', headers: { accept: 'application/json' }, as: credential })
  }],
  ['a permission suites\' key subject', async () => {
    const subject = await keySubject()
    return () => subject.client.get('/v1/permissions/me')
  }],
  ['a permission suites\' user subject, through its credential', async () => {
    const subject = await userSubject()
    return () => whoAmI(subject.credential)
  }],
]

describe('set-up callers renew their sessions', () => {
  it.each(SET_UP_CALLERS)('%s still authenticates after a whole access token lifetime', async (_caller, setUp) => {
    const call = await setUp()
    expect((await call()).status, 'at once').toBe(200)
    await pass(ACCESS_TTL / 2 - 1)
    expect((await call()).status, 'within the first half of the lifetime').toBe(200)
    await pass(ACCESS_TTL + 1)
    expect((await call()).status, 'the first token has expired: the caller holds a newer one').toBe(200)
  })
})

describe('how a set-up session renews', () => {
  /** The ids of the sessions the credential's subject has, as it lists them. */
  async function sessionsOf(credential: Credential): Promise<string[]> {
    const listed = await api.as(credential).get('/v1/sessions')
    expect(listed.status).toBe(200)
    return listed.body.items.map((session) => session.id)
  }

  it('by a refresh: the same session, no new exchange (which targets rate-limit per key)', async () => {
    const credential = await given.bearer(await given.key())
    const before = await sessionsOf(credential)
    await pass(ACCESS_TTL + 1)
    expect(await sessionsOf(credential)).toEqual(before)
    expect(before).toHaveLength(1)
  })

  it('by a new session when the refresh is refused (a case ended the session)', async () => {
    const credential = await given.bearer(await given.key())
    const [ended] = await sessionsOf(credential)
    expect((await api.admin.delete('/v1/sessions/{id}', { params: { id: ended! } })).status).toBe(204)
    await pass(ACCESS_TTL / 2)
    const now = await sessionsOf(credential)
    expect(now).toHaveLength(1)
    expect(now).not.toContain(ended)
  })
})

describe('a token held for its own sake is never renewed', () => {
  it('given.session hands out the one token: it expires', async () => {
    const tokens = await given.session(await given.key())
    await pass(ACCESS_TTL + 1)
    await expectAccessRejected(tokens.access_token, 'token_expired')
  })

  it('a subject held for PERM-012 keeps its token: it expires', async () => {
    const subject = await keySubject({ held: true })
    await pass(ACCESS_TTL + 1)
    await expectAccessRejected((subject.credential as { bearer: string }).bearer, 'token_expired')
  })
})
