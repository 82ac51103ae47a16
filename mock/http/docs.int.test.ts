// The contract served by the mock: the bundle at /openapi.json, the rendered docs at /docs/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contract } from '../../openapi/contract.ts'
import { expectProblem, startTestMock, type TestMock } from './test-support.ts'

let mock: TestMock
beforeAll(async () => {
  mock = await startTestMock()
})
afterAll(() => mock?.close())

describe('contract documentation', () => {
  it('serves the bundle at /openapi.json', async () => {
    const reply = await mock.call('GET', '/openapi.json')
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual(contract)
  })

  it('redirects /docs to /docs/ so relative links between the pages work', async () => {
    const reply = await mock.call('GET', '/docs')
    expect(reply.status).toBe(301)
    expect(reply.headers.location).toBe('/docs/')
  })

  // Rendering runs Redocly once (seconds); later pages come from the cache.
  it('serves the rendered reference and the requirement catalogue', { timeout: 120_000 }, async () => {
    const reference = await mock.call('GET', '/docs/')
    expect(reference.status).toBe(200)
    expect(reference.headers['content-type']).toMatch(/^text\/html/)
    expect(reference.text).toContain('exchangeToken')
    const catalogue = await mock.call('GET', '/docs/requirements.html')
    expect(catalogue.status).toBe(200)
    expect(catalogue.text).toContain('AUTH-001')
    const profiles = await mock.call('GET', '/docs/profiles.html')
    expect(profiles.status).toBe(200)
    expect(profiles.text).toContain('<code>POST /sessions/</code>')
    expectProblem(await mock.call('GET', '/docs/missing.html'), 404, 'not_found')
  })
})
