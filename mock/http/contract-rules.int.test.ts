// The rules the contract states once for every operation (openapi.yaml, info description),
// over real sockets: path ids outside their bounds name no resource (404), operations
// without a request body, unknown routes and undefined methods (405) ignore what is sent
// with them, and an optional body is absent or valid — a JSON null is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contract } from '../../openapi/bundle.ts'
import { expectProblem, startTestMock, type TestMock } from './test-support.ts'

let mock: TestMock
let admin: string

beforeAll(async () => {
  mock = await startTestMock()
  admin = await mock.adminToken()
})
afterAll(() => mock?.close())

describe('path ids', () => {
  const astral = '%F0%9F%98%80' // one code point, two UTF-16 units
  it.each([
    ['an empty id', 'DELETE', '/v1/sessions/'],
    ['an id of 129 characters (maxLength 128)', 'GET', `/v1/users/${'k'.repeat(129)}`],
    ['an id far longer than any id', 'GET', `/v1/policies/${'k'.repeat(5000)}`],
    ['malformed percent-encoding', 'GET', '/v1/keys/%ZZ'],
    ['a truncated percent-escape', 'POST', '/v1/keys/%E0%A4%A/rotate'],
    ['an id of 129 astral characters', 'DELETE', `/v1/datasets/orders/records/${astral.repeat(129)}`],
  ])('%s is 404 not_found, never 400', async (_case, method, path) => {
    expectProblem(await mock.call(method, path, { token: admin }), 404, 'not_found')
  })

  it.each([
    ['101 characters (over the router default of 100)', 'k'.repeat(101)],
    ['128 characters', 'k'.repeat(128)],
    ['128 astral characters (256 UTF-16 units)', astral.repeat(128)],
  ])('an id of %s reaches the operation, which answers that it knows no such user', async (_case, id) => {
    const reply = await mock.call('GET', `/v1/users/${id}`, { token: admin })
    expectProblem(reply, 404, 'not_found')
    expect(reply.body.detail).toBe('No such user.')
  })

  it('the detail of an id outside its bounds names the parameter', async () => {
    const reply = await mock.call('GET', `/v1/keys/${'k'.repeat(129)}`, { token: admin })
    expect(reply.body.detail).toMatch(/\/id must NOT have more than 128 characters/)
  })
})

describe('operations that define no request body', () => {
  const createDataset = async (): Promise<string> => {
    const name = `ignored_${Math.random().toString(36).slice(2, 10)}`
    expect((await mock.call('POST', '/v1/datasets', { token: admin, body: { name } })).status).toBe(201)
    return name
  }

  it.each([
    ['text/plain', 'x'],
    ['application/json', '{'],
    ['application/json', 'null'],
    ['application/xml', '<x/>'],
    ['not a media type', 'x'],
    [undefined, 'x'],
  ])('ignore a body sent as %s: the operation is carried out', async (type, raw) => {
    const name = await createDataset()
    const reply = await mock.call('DELETE', `/v1/datasets/${name}`, { token: admin, raw, headers: type ? { 'content-type': type } : {} })
    expect(reply.status).toBe(204)
    expectProblem(await mock.call('DELETE', `/v1/datasets/${name}`, { token: admin }), 404, 'not_found')
  })

  it('ignore a body over 1 MiB (it is not read), and the connection still serves', async () => {
    const name = await createDataset()
    const raw = JSON.stringify({ blob: 'x'.repeat(1024 * 1024 + 16) })
    const reply = await mock.call('DELETE', `/v1/datasets/${name}`, { token: admin, raw, headers: { 'content-type': 'application/json' } })
    expect(reply.status).toBe(204)
    expect((await mock.call('GET', '/v1/datasets', { token: admin })).status).toBe(200)
  })

  // GET routes sit outside the content-ignoring scope (register-operations.ts): Fastify
  // never reads their content, which must hold for every kind of content.
  it.each([
    ['text/plain', 'x'],
    ['application/json', '{'],
    ['not a media type', 'x'],
  ])('a GET ignores content sent as %s', async (type, raw) => {
    const reply = await mock.call('GET', '/v1/datasets', { token: admin, raw, headers: { 'content-type': type } })
    expect(reply.status).toBe(200)
    expect(Array.isArray(reply.body.items)).toBe(true)
  })

  it('rotate a key even with malformed JSON attached', async () => {
    const created = await mock.call('POST', '/v1/keys', { token: admin, body: { description: 'rotated with a body' } })
    const reply = await mock.call('POST', `/v1/keys/${created.body.id}/rotate`, { token: admin, raw: '{', headers: { 'content-type': 'application/json' } })
    expect(reply.status).toBe(200)
    expect(reply.body.secret).not.toBe(created.body.secret)
  })
})

describe('unknown routes', () => {
  it.each([
    ['malformed JSON', 'application/json', '{'],
    ['a malformed Content-Type', 'not a media type', 'x'],
    ['a body over 1 MiB', 'application/json', JSON.stringify({ blob: 'x'.repeat(1024 * 1024 + 16) })],
  ])('are 404 whatever content they carry: %s', async (_case, type, raw) => {
    expectProblem(await mock.call('POST', '/v1/nothing-here', { token: admin, raw, headers: { 'content-type': type } }), 404, 'not_found')
  })

  it.each([
    ['no Content-Type on a QUERY', 'QUERY', undefined, undefined],
    ['malformed JSON', 'PUT', 'application/json', '{'],
    ['a malformed Content-Type', 'PATCH', 'not a media type', 'x'],
    ['a body over 1 MiB', 'PUT', 'application/json', JSON.stringify({ blob: 'x'.repeat(1024 * 1024 + 16) })],
  ])('with a method the path does not define are 405 whatever content they carry: %s', async (_case, method, type, raw) => {
    const reply = await mock.call(method, '/v1/keys', { token: admin, ...(raw !== undefined && { raw }), headers: type ? { 'content-type': type } : {} })
    expectProblem(reply, 405, 'method_not_allowed')
    expect(reply.headers.allow).toBe('GET, HEAD, POST, OPTIONS')
  })
})

describe('unknown query parameters', () => {
  it('are a rule the contract states for every operation (ERR-020), beside the closed bodies', () => {
    expect(contract.info.description).toMatch(/\*\*Unknown query parameters\*\* are ignored/)
    expect(contract.info.description).toMatch(/a field the schema does not define is 400/)
  })

  it('are ignored, while the defined ones still apply and are still validated', async () => {
    const page = await mock.call('GET', '/v1/datasets/orders/records?limit=2&sort=-total&access_token=x', { token: admin })
    expect(page.status).toBe(200)
    expect(page.body.items).toHaveLength(2)
    expectProblem(await mock.call('GET', '/v1/datasets/orders/records?limit=0&sort=-total', { token: admin }), 400, 'invalid_request')
  })
})

describe('optional bodies', () => {
  it('a JSON null sign-in body is 400 naming the body, not an absent body', async () => {
    const reply = await mock.call('POST', '/v1/sessions', { raw: 'null', headers: { 'content-type': 'application/json' } })
    expectProblem(reply, 400, 'invalid_request')
    expect(reply.body.errors).toEqual([{ in: 'body', path: '', message: 'must be object' }])
    expect(reply.body.detail).toBe('Invalid request: the body must be object.')
  })
})
