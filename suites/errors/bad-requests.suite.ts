// Malformed requests: bad JSON (ERR-002), missing (ERR-003) and unknown (ERR-004) fields,
// unknown routes and ids (ERR-014), wrong media types (ERR-015), oversized bodies
// (ERR-016), methods a path does not define (ERR-019) — each answered with a problem+json
// whose status is the HTTP status (ERR-001) — and unknown query parameters, which are
// ignored (ERR-020).
import { beforeAll, describe, expect, it } from 'vitest'
import {
  allowedMethodsOf,
  api,
  contractPaths,
  expectProblem,
  given,
  onCleanup,
  raw,
  target,
  TargetError,
  type ApiResponse,
  type Credential,
  type UntypedRequest,
} from '../harness/index.ts'

let admin: Credential

beforeAll(async () => {
  // An admin key of this file's own: raw requests need a credential the file holds.
  admin = await given.bearer(await given.key({ role: 'admin' }))
})

/** A dataset name a case expects not to be created; removed at the end if it was. */
function strayDataset(purpose: string): string {
  const name = `${purpose}-${target.runId}`.toLowerCase()
  onCleanup(() => api.admin.delete('/v1/datasets/{name}', { params: { name } }))
  return name
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, application/problem+json' }

/** Sends a body as given with an admin token (raw: not re-serialised). */
function sendRaw(method: string, path: string, body: string | Buffer, headers: Record<string, string> = JSON_HEADERS): Promise<ApiResponse<any>> {
  return raw({ method, path, headers, body, as: admin })
}

/** The problem's detail or its errors[] name `field` (ERR-003). */
function expectNamesField(response: ApiResponse<any>, field: string): void {
  const mentions = [response.body.detail, ...(response.body.errors ?? []).flatMap((error: { path: string; message: string }) => [error.path, error.message])]
  expect(mentions.join(' | '), `the problem must name the field ${field}`).toMatch(new RegExp(`\\b${field}\\b`))
}

describe('ERR-002 malformed JSON is 400', () => {
  const MALFORMED = ['{', '{"name": ', '{"name": "x",}', "{'name': 'x'}", 'nul', '[1, 2', '{"name": "x"} trailing', '\u0000']
  it.each(MALFORMED)('ERR-002 ERR-001 the body %j is 400 invalid_request, never 5xx', async (body) => {
    expectProblem(await sendRaw('POST', '/v1/datasets', body), 400, 'invalid_request')
  })

  it('ERR-002 malformed JSON on the unauthenticated token endpoint is 400 too', async () => {
    const response = await raw({ method: 'POST', path: '/v1/auth/token', headers: JSON_HEADERS, body: '{"api_key": ' })
    expectProblem(response, 400, 'invalid_request')
  })

  it('ERR-002 an empty body declared as JSON is 400', async () => {
    expectProblem(await sendRaw('POST', '/v1/policies', ''), 400, 'invalid_request')
  })
})

describe('ERR-003 missing required fields are 400 and the problem names them', () => {
  const CASES: [string, string, Record<string, unknown>, string][] = [
    ['POST /v1/auth/token without api_secret', '/v1/auth/token', { api_key: `key_${'A'.repeat(20)}` }, 'api_secret'],
    ['POST /v1/auth/token without api_key', '/v1/auth/token', { api_secret: 'x' }, 'api_key'],
    ['POST /v1/datasets without name', '/v1/datasets', {}, 'name'],
    ['POST /v1/keys without description', '/v1/keys', { role: 'client' }, 'description'],
    ['POST /v1/users without password', '/v1/users', { email: 'missing-password@example.test' }, 'password'],
    ['POST /v1/policies without subjects', '/v1/policies', { description: 'x', resources: ['orders'], actions: ['read'] }, 'subjects'],
    ['POST /v1/permissions/check without action', '/v1/permissions/check', { subject: { type: 'user', id: 'usr_x' }, dataset: 'orders' }, 'action'],
  ]
  it.each(CASES)('ERR-003 ERR-001 %s is 400 naming the field', async (_, path, body, field) => {
    const response = await api.as(admin).send({ method: 'post', path, body })
    expectProblem(response, 400, 'invalid_request')
    expectNamesField(response, field)
  })
})

describe('ERR-004 unknown fields are 400', () => {
  const CASES: [string, string, Record<string, unknown>][] = [
    ['POST /v1/auth/token', '/v1/auth/token', { api_key: `key_${'A'.repeat(20)}`, api_secret: 'x', scope: 'all' }],
    ['POST /v1/datasets', '/v1/datasets', { name: strayDataset('unknown-field'), owner: 'me' }],
    ['POST /v1/keys', '/v1/keys', { description: 'x', admin: true }],
    ['POST /v1/policies', '/v1/policies', { description: 'x', subjects: [{ type: 'user', id: 'usr_x' }], resources: ['orders'], actions: ['read'], effect: 'deny' }],
    ['POST /v1/policies (inside a filter)', '/v1/policies', { description: 'x', subjects: [{ type: 'user', id: 'usr_x' }], resources: ['orders'], actions: ['read'], filters: [{ field: 'a', op: 'eq', value: 1, negate: true }] }],
  ]
  it.each(CASES)('ERR-004 ERR-001 %s with an unknown property is 400 naming it', async (_, path, body) => {
    const response = await api.as(admin).send({ method: 'post', path, body })
    expectProblem(response, 400, 'invalid_request')
  })

  it('AUTH-010 ERR-003 a malformed api_key is 400 invalid_request naming api_key, not 401', async () => {
    const response = await api.anonymous.post('/v1/auth/token', { api_key: 'not-a-key', api_secret: 'whatever-secret' })
    expectProblem(response, 400, 'invalid_request')
    expectNamesField(response, 'api_key')
  })
})

describe('ERR-014 unknown routes and ids are 404 problem+json', () => {
  const ABSENT = 'A'.repeat(20)
  const CASES: [string, () => UntypedRequest][] = [
    ['an unknown route', () => ({ method: 'get', path: '/v1/no-such-route' })],
    ['an unknown route outside /v1', () => ({ method: 'get', path: '/nothing-here' })],
    ['an unknown user', () => ({ method: 'get', path: `/v1/users/usr_${ABSENT}` })],
    ['an unknown key', () => ({ method: 'get', path: `/v1/keys/key_${ABSENT}` })],
    ['an unknown policy', () => ({ method: 'get', path: `/v1/policies/pol_${ABSENT}` })],
    ['an unknown dataset (list)', () => ({ method: 'get', path: `/v1/datasets/no-such-dataset-${target.runId}/records` })],
    ['an unknown dataset (delete)', () => ({ method: 'delete', path: `/v1/datasets/no-such-dataset-${target.runId}` })],
    ['an unknown session', () => ({ method: 'delete', path: `/v1/sessions/ses_${ABSENT}` })],
  ]
  it.each(CASES)('ERR-014 ERR-001 %s is 404 not_found', async (_, request) => {
    expectProblem(await api.as(admin).send(request()), 404, 'not_found')
  })

  // Ids outside the bounds of any id name no resource: 404, not 400 (ERR-014).
  const OUT_OF_BOUNDS: [string, string, string][] = [
    ['an empty session id', 'DELETE', '/v1/sessions/'],
    ['a user id of 129 characters', 'GET', `/v1/users/${'u'.repeat(129)}`],
    ['a key id that is not valid percent-encoding', 'GET', '/v1/keys/%ZZ'],
    ['a key id with a truncated percent-escape', 'POST', '/v1/keys/%E0%A4%A/rotate'],
  ]
  it.each(OUT_OF_BOUNDS)('ERR-014 ERR-001 %s is 404 not_found, not 400', async (_, method, path) => {
    expectProblem(await raw({ method, path, as: admin, headers: { accept: 'application/json' } }), 404, 'not_found')
  })

  it('ERR-014 OPTIONS on an unknown path is 404 not_found', async () => {
    expectProblem(await raw({ method: 'OPTIONS', path: `/v1/no-such-route-${target.runId}`, as: admin }), 404, 'not_found')
  })

  it('ERR-014 an unknown record in an existing dataset is 404 not_found', async () => {
    const dataset = await given.dataset()
    const response = await api.as(admin).get('/v1/datasets/{name}/records/{id}', { params: { name: dataset, id: `rec_${ABSENT}` } })
    expectProblem(response, 404, 'not_found')
  })
})

describe('ERR-015 a body that is not application/json is 415', () => {
  const TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x']
  it.each(TYPES)('ERR-015 ERR-001 Content-Type %s is 415 unsupported_media_type', async (type) => {
    const response = await sendRaw('POST', '/v1/datasets', JSON.stringify({ name: strayDataset('media-type') }), { 'content-type': type, accept: 'application/json' })
    expectProblem(response, 415, 'unsupported_media_type')
  })

  it('ERR-015 an operation that takes no body ignores content sent with it, whatever its type', async () => {
    const key = await given.key()
    const rotated = await raw({ method: 'POST', path: `/v1/keys/${key.id}/rotate`, as: admin, headers: { 'content-type': 'text/plain', accept: 'application/json' }, body: 'ignore me' })
    expect(rotated.status, rotated.text.slice(0, 200)).toBe(200)
    expect(rotated.body.secret).not.toBe(key.secret)
    const dataset = await given.dataset()
    const deleted = await raw({ method: 'DELETE', path: `/v1/datasets/${dataset}`, as: admin, headers: { 'content-type': 'application/xml' }, body: '<ignore/>' })
    expect(deleted.status, deleted.text.slice(0, 200)).toBe(204)
  })

  it('ERR-015 a 415 on a record write stores nothing', async () => {
    const dataset = await given.dataset()
    const response = await sendRaw('POST', `/v1/datasets/${dataset}/records`, 'a=1', { 'content-type': 'application/x-www-form-urlencoded' })
    expectProblem(response, 415, 'unsupported_media_type')
    const list = await api.as(admin).get('/v1/datasets/{name}/records', { params: { name: dataset } })
    expect(list.body.items).toEqual([])
  })
})

/** Connection errors of a client still sending when the target closed the connection. */
const CLOSED_WHILE_SENDING = new Set(['EPIPE', 'ECONNRESET', 'UND_ERR_SOCKET'])

/**
 * A target may answer 413 before reading the body and close the connection (RFC 9110
 * §15.5.14); a client still sending then meets a broken pipe, and on a busy machine the
 * answer can be lost with it. Such an attempt is made again, up to three times in all: a
 * target that never answers fails every one of them.
 */
async function sendOversized(path: string, body: string): Promise<ApiResponse<any>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendRaw('POST', path, body)
    } catch (error) {
      const code = error instanceof TargetError ? (error.cause as { code?: string } | undefined)?.code : undefined
      if (attempt === 3 || code === undefined || !CLOSED_WHILE_SENDING.has(code)) throw error
    }
  }
}

describe('ERR-016 oversized bodies are 413', () => {
  it('ERR-016 ERR-001 a body over 1 MiB is 413 payload_too_large', async () => {
    const dataset = await given.dataset()
    const body = JSON.stringify({ blob: 'x'.repeat(1024 * 1024 + 16) })
    expectProblem(await sendOversized(`/v1/datasets/${dataset}/records`, body), 413, 'payload_too_large')
  })
})

describe('ERR-001 every 4xx is problem+json carrying its own status', () => {
  it('ERR-001 ERR-017 the problems of different statuses all have type, title, status, detail and code', async () => {
    const dataset = await given.dataset()
    const answers = [
      await sendRaw('POST', '/v1/datasets', '{'),
      await raw({ method: 'GET', path: '/v1/sessions' }),
      await api.as(admin).post('/v1/datasets', { name: dataset }),
      await api.as(admin).send({ method: 'get', path: '/v1/nope' }),
      await sendRaw('POST', '/v1/datasets', '{}', { 'content-type': 'text/plain' }),
    ]
    expect(answers.map((answer) => answer.status)).toEqual([400, 401, 409, 404, 415])
    for (const answer of answers) {
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/)
      const { type, title, status, detail, code } = answer.body
      expect(status).toBe(answer.status)
      expect(type).toBe(`urn:authconform:problem:${code}`)
      expect(typeof title === 'string' && title.length > 0).toBe(true)
      expect(typeof detail === 'string' && detail.length > 0).toBe(true)
    }
  })
})

describe('ERR-019 a method a path does not define is 405 with Allow', () => {
  /** The optional control extension aside, every path of the contract with an id in its placeholders. */
  const PATHS = contractPaths.filter((template) => !template.startsWith('/__control/')).map((template) => template.replace(/\{\w+\}/g, 'ERR019probe'))
  const STANDARD = ['PUT', 'PATCH', 'DELETE', 'POST', 'GET']
  const CASES: [string, string][] = [
    ...PATHS.map((path): [string, string] => [STANDARD.find((method) => !allowedMethodsOf(path)!.includes(method))!, path]),
    ['TRACE', '/v1/keys'],
    ['PUT', '/.well-known/jwks.json'],
  ]
  const allowOf = (response: ApiResponse<any>) => String(response.headers.allow ?? '').split(',').map((method) => method.trim().toUpperCase()).filter(Boolean).sort()

  it.each(CASES)('ERR-019 ERR-001 %s %s is 405 method_not_allowed listing the path\'s methods in Allow', async (method, path) => {
    const response = await raw({ method, path, headers: { accept: 'application/json, application/problem+json' }, as: admin })
    expectProblem(response, 405, 'method_not_allowed')
    expect(allowOf(response), 'Allow').toEqual([...allowedMethodsOf(path)!].sort())
  })
})

describe('ERR-020 unknown query parameters are ignored', () => {
  it('ERR-020 a public document is answered as without them', async () => {
    const plain = await raw({ method: 'GET', path: '/.well-known/jwks.json' })
    const busted = await raw({ method: 'GET', path: `/.well-known/jwks.json?cache_bust=${target.runId}&x=` })
    expect(busted.status).toBe(200)
    expect(busted.body).toEqual(plain.body)
  })

  it('ERR-020 a list applies its own parameters and ignores the others', async () => {
    const dataset = await given.dataset()
    for (const total of [1, 2, 3]) await given.record(dataset, 'admin', { total })
    const response = await raw({ method: 'GET', path: `/v1/datasets/${dataset}/records?limit=2&sort=-total&fields=id`, as: admin })
    expect(response.status).toBe(200)
    expect(response.body.items).toHaveLength(2)
    expect(response.body.next_cursor).not.toBeNull()
  })

  it('ERR-020 a write is carried out: an unknown parameter is no instruction', async () => {
    const name = strayDataset('query-ignored')
    const response = await raw({ method: 'POST', path: '/v1/datasets?dry_run=true', headers: JSON_HEADERS, body: JSON.stringify({ name }), as: admin })
    expect(response.status).toBe(201)
    expect((await api.admin.get('/v1/datasets/{name}/records', { params: { name } })).status).toBe(200)
  })
})
