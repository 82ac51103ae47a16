// The bundle's OpenAPI links, walked as a stateful tester walks them: for every link, the
// operation it leaves is called with its example request (on a mock reset to its fixtures,
// as the admin) and succeeds; the link's runtime expressions are evaluated on that request
// and answer; and the operation it leads to, called with them, succeeds too — so a link
// that names a wrong field, parameter or operation fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deref, operationById, operations, type OpenApiObject } from '../../openapi/contract.ts'
import { bodyExamples, exampleRequest, operationObject, type ExampleRequest } from '../../openapi/example-requests.ts'
import { EMBEDDED_VERIFY_OPTIONS } from '../options.ts'
import { startTestMock, withLiveCredentials, type Reply, type TestMock } from './test-support.ts'

interface Link {
  from: string
  status: string
  name: string
  operationId: string
  parameters: Record<string, unknown>
  requestBody?: unknown
}

const LINKS: Link[] = operations().flatMap((operation) =>
  Object.entries((operationObject(operation).responses ?? {}) as Record<string, OpenApiObject>).flatMap(([status, response]) =>
    Object.entries((deref(response).links ?? {}) as Record<string, OpenApiObject>).map(([name, link]) => ({
      from: operation.operationId,
      status,
      name,
      operationId: String(link.operationId),
      parameters: (link.parameters ?? {}) as Record<string, unknown>,
      ...(link.requestBody !== undefined && { requestBody: link.requestBody }),
    })),
  ),
)

let mock: TestMock
beforeAll(async () => {
  mock = await startTestMock({ control: true, passwordHashCost: EMBEDDED_VERIFY_OPTIONS.passwordHashCost })
})
afterAll(() => mock?.close())

/** A runtime expression (OpenAPI 3.1 §4.8.20.4) on the request and answer it follows; literals as they are. */
function evaluate(value: unknown, request: ExampleRequest & { body: unknown }, reply: Reply): unknown {
  if (typeof value === 'string') {
    const body = /^\$(request|response)\.body#(\/.*)?$/.exec(value)
    if (body) return pointer(body[1] === 'request' ? request.body : reply.body, body[2] ?? '')
    const path = /^\$request\.path\.(\w+)$/.exec(value)
    if (path) return request.params[path[1]!]
    if (value.startsWith('$')) throw new Error(`unsupported runtime expression ${value}`)
    return value
  }
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, evaluate(inner, request, reply)]))
  return value
}

function pointer(document: unknown, at: string): unknown {
  return at
    .split('/')
    .slice(1)
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], document)
}

async function send({ method, path, body }: ExampleRequest): Promise<Reply> {
  return mock.call(method, path, { token: await mock.adminToken(), ...(body !== undefined && { body }) })
}

describe('OpenAPI links', () => {
  it('lead from the operations a stateful walk starts at', () => {
    const from = new Set(LINKS.map((link) => link.from))
    for (const operationId of ['createKey', 'rotateKey', 'createUser', 'exchangeToken', 'signIn', 'refreshToken', 'createPolicy', 'createDataset', 'createRecord']) {
      expect(from, operationId).toContain(operationId)
    }
  })

  it.each(LINKS.map((link) => [`${link.from} ${link.status} → ${link.name} (${link.operationId})`, link]))('%s names parameters the target has', (_name, link) => {
    const target = operationById(link.operationId)
    for (const parameter of Object.keys(link.parameters)) expect(target.path, parameter).toContain(`{${parameter}}`)
  })

  it.each(LINKS.map((link) => [`${link.from} ${link.status} → ${link.name} (${link.operationId})`, link]))('%s: both calls succeed', async (_name, link) => {
    await mock.call('POST', '/__control/reset', { body: { scope: 'all' } })
    // A refresh example's token is replaced by a live one; what the link carries is live already.
    const source = exampleRequest(link.from, { body: await withLiveCredentials(mock, link.from, bodyExamples(operationById(link.from))[0]) })
    const first = await send(source)
    expect(String(first.status), first.text).toBe(link.status)
    const params = Object.fromEntries(Object.entries(link.parameters).map(([name, expression]) => [name, String(evaluate(expression, source, first))]))
    const body = link.requestBody === undefined ? bodyExamples(operationById(link.operationId))[0] : evaluate(link.requestBody, source, first)
    const second = await send(exampleRequest(link.operationId, { params, body }))
    expect(second.status, second.text).toBeGreaterThanOrEqual(200)
    expect(second.status, second.text).toBeLessThan(300)
  })
})
