// Every request the bundle's examples describe — each operation with its path parameters'
// examples and, one at a time, each example of its request body — sent to a mock just
// reset to its fixtures, with the admin's token where the operation needs credentials:
// each must succeed. The examples name the default fixtures (openapi.yaml, info) and
// their dates lie far ahead, so they stay valid on any day and in any tool that sends
// them. The one value no example can hold is a refresh token, minted at run time: the
// refresh example's token is replaced by a live one (its form is checked instead).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contract, deref, operations, type OpenApiObject } from '../../openapi/contract.ts'
import { EMBEDDED_VERIFY_OPTIONS } from '../options.ts'
import { startTestMock, type TestMock } from './test-support.ts'

type Json = OpenApiObject

let mock: TestMock
beforeAll(async () => {
  mock = await startTestMock({ control: true, passwordHashCost: EMBEDDED_VERIFY_OPTIONS.passwordHashCost })
})
afterAll(() => mock?.close())

/** Fields that carry a credential minted at run time, and how the test gets a live one. */
const MINTED: Record<string, { field: string; form: RegExp; live: () => Promise<string> }> = {
  refreshToken: {
    field: 'refresh_token',
    form: /^rt_[A-Za-z0-9_-]{43}$/,
    live: async () => (await mock.call('POST', '/v1/sessions', { body: { email: 'alice@example.test', password: 'alice-dev-password' } })).body.refresh_token,
  },
}

interface ExampleRequest {
  name: string
  operationId: string
  method: string
  path: string
  body: unknown
}

function exampleRequests(): ExampleRequest[] {
  return operations().flatMap((operation) => {
    const object = contract.paths[operation.path]![operation.method] as Json
    const parameters = [...((contract.paths[operation.path]!.parameters as Json[]) ?? []), ...((object.parameters as Json[]) ?? [])].map(deref)
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const parameter = parameters.find((candidate) => candidate.in === 'path' && candidate.name === name)!
      const example = parameter.example ?? (deref((parameter.schema ?? {}) as Json).examples as unknown[] | undefined)?.[0]
      if (example === undefined) throw new Error(`${operation.operationId}: path parameter ${name} has no example`)
      return encodeURIComponent(String(example))
    })
    const media = (deref((object.requestBody ?? {}) as Json).content as Record<string, Json> | undefined)?.['application/json']
    const bodies = media ? bodyExamples(media) : []
    const base = { operationId: operation.operationId, method: operation.method.toUpperCase(), path }
    if (bodies.length === 0) return [{ ...base, name: `${base.method} ${path}`, body: undefined }]
    return bodies.map((body, index) => ({ ...base, name: `${base.method} ${path} with body example ${index + 1}`, body }))
  })
}

function bodyExamples(media: Json): unknown[] {
  if (media.example !== undefined) return [media.example]
  if (media.examples) return Object.values(media.examples as Record<string, Json>).map((example) => deref(example).value)
  return (deref(media.schema as Json).examples as unknown[] | undefined) ?? []
}

const requests = exampleRequests()

describe('request examples of the bundle', () => {
  it('cover every operation, every request body has an example, and each minted value names an operation', () => {
    for (const operationId of Object.keys(MINTED)) expect(operations().map((operation) => operation.operationId)).toContain(operationId)
    expect(new Set(requests.map((request) => request.operationId)).size).toBe(operations().length)
    const bodiless = operations().filter((operation) => {
      const body = (contract.paths[operation.path]![operation.method] as Json).requestBody as Json | undefined
      return body !== undefined && !requests.some((request) => request.operationId === operation.operationId && request.body !== undefined)
    })
    expect(bodiless.map((operation) => operation.operationId)).toEqual([])
  })

  it.each(requests.map((request) => [request.name, request]))('%s succeeds against the fixtures', async (_name, request) => {
    await expectSuccess(request, 0)
  })

  // Ten years is the most one clock advance may move (ControlClockAdvance): a date in an
  // example must not be one that merely lies ahead of today.
  const dated = requests.filter((request) => /\d{4}-\d{2}-\d{2}T/.test(JSON.stringify(request.body ?? null)))
  it.each(dated.map((request) => [request.name, request]))('%s still succeeds ten years from now', async (_name, request) => {
    await expectSuccess(request, TEN_YEARS)
  })
})

const TEN_YEARS = 315_576_000

async function expectSuccess(request: ExampleRequest, advanceSeconds: number): Promise<void> {
  await mock.call('POST', '/__control/reset', { body: { scope: 'all' } })
  if (advanceSeconds > 0) expect((await mock.call('POST', '/__control/clock', { body: { advance_seconds: advanceSeconds } })).status).toBe(200)
  let body = request.body
  const minted = MINTED[request.operationId]
  if (minted && body && typeof body === 'object') {
    expect(String((body as Record<string, unknown>)[minted.field])).toMatch(minted.form)
    body = { ...body, [minted.field]: await minted.live() }
  }
  const token = await mock.adminToken()
  const reply = await mock.call(request.method, request.path, { token, ...(body !== undefined && { body }) })
  expect(reply.status, reply.text).toBeGreaterThanOrEqual(200)
  expect(reply.status, reply.text).toBeLessThan(300)
}
