// Faults live in the process that was told of them, so a replica (a mock over a shared
// store) does not offer them: a fault injected into one replica would take only the
// requests the balancer happens to send there. The rest of the control extension stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRedis, type RedisServer } from '../../support/redis-server.ts'
import { componentOrSkip, REDIS_SERVER } from '../../support/system-components.ts'
import { expectProblem, startTestMock, type TestMock } from '../http/test-support.ts'

const redisBinary = await componentOrSkip(REDIS_SERVER, 'faults under a shared store')

describe.skipIf(redisBinary === undefined)('a replica offers no faults', () => {
  let redis: RedisServer
  let mock: TestMock

  beforeAll(async () => {
    redis = await startRedis(redisBinary!)
    mock = await startTestMock({ control: true, store: redis.url })
  }, 60_000)

  afterAll(async () => {
    await mock?.close()
    await redis?.remove()
  })

  it('declares test_control but not test_faults, and its fault paths are unknown (404)', async () => {
    const features = (await mock.call('GET', '/.well-known/auth-configuration')).body.features as string[]
    expect(features).toContain('test_control')
    expect(features).not.toContain('test_faults')
    expectProblem(await mock.call('POST', '/__control/faults', { body: { operation: 'listKeys', status: 401 } }), 404, 'not_found')
    expectProblem(await mock.call('GET', '/__control/faults'), 404, 'not_found')
    expect((await mock.call('GET', '/__control/clock')).status).toBe(200)
  })

  it('still empties the journal on reset all', async () => {
    await mock.call('GET', '/.well-known/auth-configuration')
    expect((await mock.call('GET', '/__control/requests')).body.items.length).toBeGreaterThan(0)
    expect((await mock.call('POST', '/__control/reset', { body: { scope: 'all' } })).status).toBe(204)
    expect((await mock.call('GET', '/__control/requests')).body.items).toEqual([])
  })
})
