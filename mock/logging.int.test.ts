// What the mock logs: one JSON line per request with method, path, status, duration and
// subject — and never a secret, password, token or query string.
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestMock, type TestMock } from './http/test-support.ts'
import { createLogger } from './logging.ts'

let mock: TestMock
let output = ''

beforeAll(async () => {
  const destination = new PassThrough()
  destination.on('data', (chunk) => (output += chunk))
  mock = await startTestMock({ logLevel: 'info', logDestination: destination })
})
afterAll(() => mock?.close())

it('logs one line per request, the router\'s own answers too, and no credential of any kind', async () => {
  const tokens = (await mock.call('POST', '/v1/auth/token', { body: { api_key: mock.adminKey, api_secret: mock.adminSecret } })).body
  await mock.call('POST', '/v1/sessions', { body: { email: 'alice@example.test', password: 'alice-dev-password' } })
  await mock.call('POST', '/v1/auth/refresh', { body: { refresh_token: tokens.refresh_token } })
  await mock.call('GET', `/v1/users?access_token=${tokens.access_token}`, { token: tokens.access_token })
  await mock.call('POST', '/v1/auth/token', { raw: `{"api_secret": "${mock.adminSecret}"`, headers: { 'content-type': 'application/json' } })
  // Answered by the router itself (not valid percent-encoding), where no route hook runs.
  await mock.call('GET', '/v1/keys/%ZZ')
  await new Promise((resolve) => setTimeout(resolve, 50))

  const requests = output
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((entry) => entry.msg === 'request')
  expect(requests.map(({ method, path, status }) => [method, path, status])).toEqual([
    ['POST', '/v1/auth/token', 200],
    ['POST', '/v1/sessions', 201],
    ['POST', '/v1/auth/refresh', 200],
    ['GET', '/v1/users', 200],
    ['POST', '/v1/auth/token', 400],
    ['GET', '/v1/keys/%ZZ', 404],
  ])
  expect(requests[3]).toMatchObject({ subject: mock.adminKey })
  // The fields every line has, and the request id Fastify gives the request.
  expect(requests[0]).toMatchObject({ level: 30, name: 'authconform-mock', reqId: expect.stringMatching(/^req-/) })
  expect(Object.keys(requests[0])).toEqual(['level', 'time', 'name', 'reqId', 'method', 'path', 'status', 'ms', 'msg'])
  expect(typeof requests[0].ms).toBe('number')
  for (const secret of [mock.adminSecret, 'alice-dev-password', tokens.access_token, tokens.refresh_token, 'access_token=']) {
    expect(output).not.toContain(secret)
  }
})

it('redacts credentials that reach a log call by mistake', () => {
  let line = ''
  const destination = new PassThrough()
  destination.on('data', (chunk) => (line += chunk))
  createLogger({ level: 'info', destination }).info(
    { req: { headers: { authorization: 'Bearer abc.def' } }, user: { password: 'hunter22' }, grant: { refresh_token: 'rt_x' } },
    'oops',
  )
  expect(line).not.toMatch(/abc\.def|hunter22|rt_x/)
  expect(line).toContain('[redacted]')
})
