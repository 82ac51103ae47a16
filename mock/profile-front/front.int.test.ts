// The front of `mock --profile`, on a profile made for the test that uses every part of the
// format the built-in profiles do not all use: a path parameter filled by a constant, calls
// told apart by a constant, a key string joined and split (key_id), JSON under any media
// type, an envelope whose codes differ by a constant, compositions (one step; each element
// of an array), the provider-states endpoint.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestMock, type TestMock } from '../http/test-support.ts'

const PROFILE = `profile: demo
title: Demo
source: this test
openapi: openapi.yaml
request_media: any
tokens: { access: { lifetime: 600 }, refresh: { lifetime: 3600 } }
auth:
  bearer: { format: 'Token {token}' }
errors:
  content_type: application/json
  fields: { /detail: /message }
  codes:
    - { code: invalid_request, status: 400 }
    - { code: invalid_credentials, status: 401, constants: { /kind: credentials } }
    - { code: invalid_token, status: 401, constants: { /kind: token } }
    - { code: forbidden, status: 403 }
    - { code: not_found, status: 404 }
    - { code: payload_too_large, status: 413 }
    - { code: unsupported_media_type, status: 415 }
operations:
  exchangeToken:
    call: POST /tenants/{tenant}/login
    request:
      fields: { /api_secret: { at: /key, key_id: /api_key } }
      constants: { '{tenant}': acme, /kind: key }
      carry: false
    response:
      fields: { /access_token: /token, /expires_in: /ttl }
compositions:
  - call: GET /me
    steps: [{ operation: getMyPermissions }]
    response: { fields: { /subject/id: /id } }
  - call: POST /bulk/{name}
    steps: [{ operation: createRecord, each: '' }]
    response: { fields: { /id: /id }, carry: true }
setup:
  provider_states: /_states
`

const dir = mkdtempSync(join(tmpdir(), 'authconform-front-'))
let mock: TestMock

beforeAll(async () => {
  writeFileSync(join(dir, 'profile.yaml'), PROFILE)
  writeFileSync(join(dir, 'openapi.yaml'), 'openapi: 3.1.0\ninfo: {title: demo, version: "1"}\npaths: {}\n')
  mock = await startTestMock({ profile: join(dir, 'profile.yaml'), passwordHashCost: 1024 })
})

afterAll(async () => {
  await mock?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function newKey(role: 'admin' | 'client' = 'client'): Promise<{ id: string; secret: string }> {
  const reply = await mock.call('POST', '/_states', { body: { action: 'setup', state: 'a key', params: { description: 'front test', role } } })
  expect(reply.status).toBe(201)
  return reply.body
}

async function login(key: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return mock.call('POST', '/tenants/acme/login', { raw: JSON.stringify({ kind: 'key', key }), headers })
}

describe('a wire call', () => {
  it('takes the key string <id>.<secret> the set-up handed out, splits it for the contract and answers the wire fields', async () => {
    const key = await newKey()
    expect(key.secret.startsWith(`${key.id}.sk_`)).toBe(true)
    const reply = await login(key.secret)
    expect(reply.status).toBe(200)
    expect(Object.keys(reply.body).sort()).toEqual(['token', 'ttl'])
  })

  it('reads JSON under any media type when the profile says so', async () => {
    const key = await newKey()
    expect((await login(key.secret, { 'content-type': 'text/plain;charset=UTF-8' })).status).toBe(200)
  })

  it('is not found where its constants do not hold (another tenant, another kind)', async () => {
    const key = await newKey()
    expect((await mock.call('POST', '/tenants/other/login', { body: { kind: 'key', key: key.secret } })).status).toBe(404)
    const otherKind = await mock.call('POST', '/tenants/acme/login', { body: { kind: 'user', key: key.secret } })
    expect(otherKind).toMatchObject({ status: 404, body: { message: expect.stringContaining('no route POST /tenants/acme/login') } })
  })

  it('answers a contract problem in the envelope, with the constants of its code', async () => {
    const key = await newKey()
    const reply = await login(`${key.id}.sk_${'x'.repeat(40)}`)
    expect(reply.status).toBe(401)
    expect(reply.headers['content-type']).toMatch(/^application\/json/)
    expect(reply.body).toEqual({ kind: 'credentials', message: expect.any(String) })
    expect(reply.headers['www-authenticate']).toMatch(/^Bearer /)
  })
})

describe('a composition', () => {
  it('of one step answers a call the contract has no counterpart of', async () => {
    const key = await newKey()
    const token = (await login(key.secret)).body.token
    const reply = await mock.call('GET', '/me', { headers: { authorization: `Token ${token}` } })
    expect(reply).toMatchObject({ status: 200, body: { id: key.id } })
  })

  it('with each runs its step once per element and answers the array of answers', async () => {
    const token = (await login((await newKey('admin')).secret)).body.token
    const reply = await mock.call('POST', '/bulk/orders', { body: [{ item: 'a', total: 1 }, { item: 'b', total: 2 }], headers: { authorization: `Token ${token}` } })
    expect(reply.status).toBe(201)
    // carry: the contract's other fields travel under their names.
    expect(reply.body).toEqual([
      expect.objectContaining({ id: expect.stringMatching(/^rec_/), owner: expect.any(String), item: 'a', total: 1 }),
      expect.objectContaining({ id: expect.stringMatching(/^rec_/), owner: expect.any(String), item: 'b', total: 2 }),
    ])
  })

  it('refuses a body that is not the array it runs over, and ends at the first error', async () => {
    const token = (await login((await newKey('admin')).secret)).body.token
    const headers = { authorization: `Token ${token}` }
    expect(await mock.call('POST', '/bulk/orders', { body: { item: 'a' }, headers })).toMatchObject({ status: 400, body: { message: expect.stringContaining('must be a JSON array') } })
    expect((await mock.call('POST', '/bulk/nosuch', { body: [{ item: 'a' }], headers })).status).toBe(404)
  })
})

describe('the provider-states endpoint', () => {
  it('sets up and tears down a user, a dataset and a policy', async () => {
    const user = await mock.call('POST', '/_states', { body: { state: 'a user', params: { email: 'front@example.test', password: 'front-test-password' } } })
    expect(user).toMatchObject({ status: 201, body: { id: expect.stringMatching(/^usr_/), email: 'front@example.test' } })
    const dataset = await mock.call('POST', '/_states', { body: { state: 'a dataset', params: { name: 'front-test' } } })
    expect(dataset).toMatchObject({ status: 201, body: { name: 'front-test' } })
    const policy = await mock.call('POST', '/_states', {
      body: { state: 'a policy', params: { description: 'p', subjects: [{ type: 'user', id: user.body.id }], resources: ['front-test'], actions: ['read'] } },
    })
    expect(policy.status).toBe(201)
    for (const [state, params] of [['a policy', { id: policy.body.id }], ['a dataset', { name: 'front-test' }], ['a user', { id: user.body.id }]] as const) {
      expect((await mock.call('POST', '/_states', { body: { action: 'teardown', state, params } })).status).toBe(204)
      expect((await mock.call('POST', '/_states', { body: { action: 'teardown', state, params } })).status).toBe(404)
    }
  })

  it('hands out the admin key, and refuses what is not a state request with the reason', async () => {
    const admin = await mock.call('POST', '/_states', { body: { state: 'an admin key' } })
    expect(admin).toMatchObject({ status: 200, body: { id: mock.adminKey, secret: mock.adminSecret } })
    expect((await mock.call('POST', '/_states', { body: { state: 'a unicorn' } })).body.detail).toMatch(/state must be one of 'an admin key', 'a key'/)
    expect((await mock.call('POST', '/_states', { body: { state: 'a key', params: { description: 'k', grant: { scope: 'all' } } } })).status).toBe(400)
    expect((await mock.call('POST', '/_states', { body: { state: 'a key', params: { colour: 'red' } } })).status).toBe(400)
  })
})

describe('the front', () => {
  it('serves the profile\'s OpenAPI document and passes the control extension on', async () => {
    expect(await mock.call('GET', '/openapi.json')).toMatchObject({ status: 200, body: { info: { title: 'demo' } } })
    expect((await mock.call('GET', '/__control/clock')).status).toBe(404)
  })

  it('answers an unknown route and an oversized body in the envelope', async () => {
    expect(await mock.call('GET', '/v1/keys')).toMatchObject({ status: 404, body: { message: expect.any(String) } })
    const big = await mock.call('POST', '/bulk/orders', { raw: Buffer.alloc(1024 * 1024 + 10, 0x20), headers: { 'content-type': 'application/json' } })
    expect(big).toMatchObject({ status: 413, body: { message: expect.any(String) } })
  })
})
