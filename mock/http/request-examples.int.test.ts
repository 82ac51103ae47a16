// Every request the bundle's examples describe — each operation with its path parameters'
// examples and, one at a time, each example of its request body — sent to a mock just
// reset to its fixtures, with the admin's token where the operation needs credentials:
// each must succeed. The examples name the default fixtures (openapi.yaml, info) and
// their dates lie far ahead, so they stay valid on any day and in any tool that sends
// them. The values no example can hold are those minted at run time — a refresh token, a
// fault's id: the example's value is replaced by a live one (its form is checked instead).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { operations } from '../../openapi/contract.ts'
import { bodyExamples, exampleRequests, operationObject, type ExampleRequest } from '../../openapi/example-requests.ts'
import { EMBEDDED_VERIFY_OPTIONS } from '../options.ts'
import { startTestMock, withLiveCredentials, withLivePath, type TestMock } from './test-support.ts'

let mock: TestMock
beforeAll(async () => {
  mock = await startTestMock({ control: true, passwordHashCost: EMBEDDED_VERIFY_OPTIONS.passwordHashCost })
})
afterAll(() => mock?.close())

const requests = exampleRequests()

describe('request examples of the bundle', () => {
  it('cover every operation, and every request body has an example', () => {
    expect(new Set(requests.map((request) => request.operationId)).size).toBe(operations().length)
    const bodiless = operations().filter((operation) => operationObject(operation).requestBody !== undefined && bodyExamples(operation).length === 0)
    expect(bodiless.map((operation) => operation.operationId)).toEqual([])
  })

  it.each(requests.map((request) => [nameOf(request), request]))('%s succeeds against the fixtures', async (_name, request) => {
    await expectSuccess(request, 0)
  })

  // Ten years is the most one clock advance may move (ControlClockAdvance): a date in an
  // example must not be one that merely lies ahead of today.
  const dated = requests.filter((request) => /\d{4}-\d{2}-\d{2}T/.test(JSON.stringify(request.body ?? null)))
  it.each(dated.map((request) => [nameOf(request), request]))('%s still succeeds ten years from now', async (_name, request) => {
    await expectSuccess(request, TEN_YEARS)
  })
})

const TEN_YEARS = 315_576_000

function nameOf(request: ExampleRequest): string {
  return `${request.method} ${request.path}${request.body === undefined ? '' : ` with ${JSON.stringify(request.body).slice(0, 60)}`}`
}

async function expectSuccess(request: ExampleRequest, advanceSeconds: number): Promise<void> {
  await mock.call('POST', '/__control/reset', { body: { scope: 'all' } })
  if (advanceSeconds > 0) expect((await mock.call('POST', '/__control/clock', { body: { advance_seconds: advanceSeconds } })).status).toBe(200)
  const body = await withLiveCredentials(mock, request.operationId, request.body)
  const { path } = await withLivePath(mock, request)
  const token = await mock.adminToken()
  const reply = await mock.call(request.method, path, { token, ...(body !== undefined && { body }) })
  expect(reply.status, reply.text).toBeGreaterThanOrEqual(200)
  expect(reply.status, reply.text).toBeLessThan(300)
}
