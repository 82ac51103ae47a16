import { describe, expect, it } from 'vitest'
import { profileNamed } from '../profile.ts'
import { InexpressibleError } from '../profile-error.ts'
import { answerToWire, requestFromWire } from './inbound.ts'
import { bodyOf, type HttpRequest } from './message.ts'
import { answerToContract, requestToWire } from './outbound.ts'

const machinable = profileNamed('machinable')
const identity = profileNamed('authconform')

function request(method: string, path: string, init: Partial<HttpRequest> & { json?: unknown } = {}): HttpRequest {
  const { json, ...rest } = init
  return { method, path, query: {}, headers: {}, body: json === undefined ? { kind: 'none' } : { kind: 'json', value: json as never }, ...rest }
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

describe('verify direction (contract → wire → contract)', () => {
  it('signs in with HTTP Basic at /sessions/ and reads the tokens back as the contract answer', () => {
    const out = requestToWire(machinable, request('POST', '/v1/sessions', { json: { email: 'a@example.test', password: 'pw' }, headers: { 'content-type': 'application/json' } }))
    expect(out.wire).toMatchObject({ method: 'POST', path: '/sessions/', headers: { authorization: basic('a@example.test', 'pw') }, body: { kind: 'none' } })
    const answer = answerToContract(machinable, out, {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: bodyOf(JSON.stringify({ access_token: 'a', refresh_token: 'r', session_id: 's', message: 'Successfully logged in' })),
    })
    expect(answer.status).toBe(201)
    expect(answer.body).toEqual({
      kind: 'json',
      value: { access_token: 'a', refresh_token: 'r', session_id: 's', token_type: 'Bearer', expires_in: 300, refresh_expires_in: 259200 },
    })
  })

  it('sends the contract Basic sign-in (no body) as the same wire call', () => {
    const out = requestToWire(machinable, request('POST', '/v1/sessions', { headers: { authorization: basic('a', 'b') } }))
    expect(out.wire.headers.authorization).toBe(basic('a', 'b'))
    expect(out.wire.path).toBe('/sessions/')
  })

  it('puts the refresh token in the Authorization header', () => {
    const out = requestToWire(machinable, request('POST', '/v1/auth/refresh', { json: { refresh_token: 'rt' } }))
    expect(out.wire).toMatchObject({ path: '/sessions/refresh/', headers: { authorization: 'Bearer rt' }, body: { kind: 'none' } })
  })

  it('refuses what the wire call has no place for, naming it', () => {
    expect(() => requestToWire(machinable, request('POST', '/v1/sessions', { json: { email: 'a', password: 'b', extra: 1 } }))).toThrow(
      /machinable's signIn call \(POST \/sessions\/\) has no place for body field \/extra/,
    )
    expect(() => requestToWire(machinable, request('POST', '/v1/sessions', { body: bodyOf('{"email":') }))).toThrow(/a request body that is not JSON/)
  })

  it('names the operation an unmapped request lacks, with the profile\'s reason', () => {
    expect(() => requestToWire(machinable, request('POST', '/v1/keys', { json: { description: 'x' } }))).toThrow(InexpressibleError)
    expect(() => requestToWire(machinable, request('POST', '/v1/keys', { json: { description: 'x' } }))).toThrow(/profile machinable lacks createKey: API keys are generated in the dashboard/)
  })

  it('maps an API key to the apikey scheme and keeps malformed JSON for a call that takes a body', () => {
    const out = requestToWire(machinable, request('POST', '/v1/datasets/orders/records', { body: bodyOf('{"total":'), headers: { authorization: 'ApiKey key_x:key_x.sk_y', 'content-type': 'application/json' } }))
    expect(out.wire).toMatchObject({ path: '/api/orders/', headers: { authorization: 'apikey key_x.sk_y' }, body: { kind: 'bytes' } })
  })

  it('reads list items through their element mapping, carrying the free fields', () => {
    const out = requestToWire(machinable, request('GET', '/v1/datasets/orders/records', { query: { limit: '2' } }))
    expect(out.wire.query).toEqual({ _limit: '2' })
    const item = { id: 'r1', total: 3, _metadata: { creator: 'usr_1', created: 't0', updated: 't1' } }
    const answer = answerToContract(machinable, out, { status: 200, headers: {}, body: { kind: 'json', value: { items: [item], next: null } } })
    expect(answer.body).toEqual({ kind: 'json', value: { items: [{ id: 'r1', owner: 'usr_1', created_at: 't0', updated_at: 't1', total: 3 }], next_cursor: null } })
  })

  it('reads the error envelope as a problem that may stand for every code of its status', () => {
    const out = requestToWire(machinable, request('GET', '/v1/datasets/orders/records', { headers: { authorization: 'Bearer t' } }))
    const answer = answerToContract(machinable, out, { status: 401, headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }, body: bodyOf('{"error":"expired"}') })
    expect(answer.status).toBe(401)
    expect(answer.headers['content-type']).toBe('application/problem+json')
    expect(answer.headers['www-authenticate']).toBe('Bearer')
    expect(answer.body).toMatchObject({ value: { code: 'invalid_credentials', status: 401, detail: 'expired' } })
    expect(answer.codes).toEqual(['invalid_credentials', 'invalid_token', 'token_expired', 'token_revoked'])
  })

  it('leaves an error outside the envelope as it came', () => {
    const out = requestToWire(machinable, request('GET', '/v1/datasets/orders/records'))
    const wire = { status: 401, headers: { 'content-type': 'text/html' }, body: bodyOf('<h1>no</h1>') }
    expect(answerToContract(machinable, out, wire)).toBe(wire)
  })

  it('sends everything unchanged under the identity profile', () => {
    const sent = request('OPTIONS', '/v1/keys', { headers: { origin: 'x' } })
    expect(requestToWire(identity, sent).wire).toBe(sent)
    const token = request('POST', '/v1/auth/token', { body: bodyOf('{not json') })
    expect(requestToWire(identity, token).wire).toBe(token)
  })
})

describe('mock direction (wire → contract → wire)', () => {
  it('answers the seed document\'s sign-in: Basic at /sessions (with or without the slash)', () => {
    for (const path of ['/sessions/', '/sessions']) {
      const arrival = requestFromWire(machinable, request('POST', path, { headers: { authorization: basic('testUser', 'hunter2') } }))
      expect(arrival.kind).toBe('call')
      if (arrival.kind !== 'call') return
      expect(arrival.contract).toMatchObject({ method: 'POST', path: '/v1/sessions', headers: { 'content-type': 'application/json' }, body: { value: { email: 'testUser', password: 'hunter2' } } })
      expect(arrival.contract.headers.authorization).toBeUndefined()
    }
  })

  it('tells /sessions/refresh/ from /sessions/{id} and says the answer as Machinable does', () => {
    const arrival = requestFromWire(machinable, request('POST', '/sessions/refresh/', { headers: { authorization: 'bearer rt_1' } }))
    if (arrival.kind !== 'call') throw new Error(arrival.kind)
    expect(arrival.contract).toMatchObject({ path: '/v1/auth/refresh', body: { value: { refresh_token: 'rt_1' } } })
    const wire = answerToWire(machinable, arrival.call, {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: { kind: 'json', value: { access_token: 'a2', token_type: 'Bearer', expires_in: 300, refresh_token: 'rt_1', refresh_expires_in: 10, session_id: 's' } },
    })
    expect(wire).toEqual({ status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: { kind: 'json', value: { access_token: 'a2' } } })
  })

  it('turns a bearer or apikey credential into the contract\'s', () => {
    const bearer = requestFromWire(machinable, request('GET', '/api/orders/', { headers: { authorization: 'bearer tok' } }))
    expect(bearer.kind === 'call' && bearer.contract.headers.authorization).toBe('Bearer tok')
    const key = requestFromWire(machinable, request('GET', '/api/orders/r1', { headers: { authorization: 'apikey key_a.sk_b' } }))
    expect(key.kind === 'call' && key.contract).toMatchObject({ path: '/v1/datasets/orders/records/r1', headers: { authorization: 'ApiKey key_a:sk_b' } })
  })

  it('says a contract problem in the envelope', () => {
    const arrival = requestFromWire(machinable, request('POST', '/sessions/', {}))
    if (arrival.kind !== 'call') throw new Error(arrival.kind)
    const wire = answerToWire(machinable, arrival.call, {
      status: 401,
      headers: { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer error="invalid_token"' },
      body: { kind: 'json', value: { type: 'urn:authconform:problem:invalid_credentials', title: 'Invalid credentials', status: 401, detail: 'nope', code: 'invalid_credentials' } },
    })
    expect(wire).toEqual({ status: 401, headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"' }, body: { kind: 'json', value: { error: 'nope' } } })
  })

  it('keeps the status the contract answered when the envelope usually gives its code another', () => {
    const jexia = profileNamed('jexia')
    const arrival = requestFromWire(jexia, request('GET', '/ds/orders'))
    if (arrival.kind !== 'call') throw new Error(arrival.kind)
    const problem = (status: number) => ({
      status,
      headers: { 'content-type': 'application/problem+json' },
      body: { kind: 'json' as const, value: { type: 'urn:authconform:problem:forbidden', title: 'Forbidden', status, detail: 'no policy', code: 'forbidden' } },
    })
    expect(answerToWire(jexia, arrival.call, problem(403)).status).toBe(403)
    expect(answerToWire(jexia, arrival.call, problem(401)).status).toBe(401)
  })

  it('knows no wire call outside the profile, and passes the control extension on', () => {
    expect(requestFromWire(machinable, request('POST', '/v1/auth/token')).kind).toBe('unknown')
    expect(requestFromWire(machinable, request('GET', '/__control/clock')).kind).toBe('contract')
  })

  it('hands a body that is not JSON to the contract as it is, also where only the body says which call it is', () => {
    const jexia = profileNamed('jexia')
    const auth = (body: HttpRequest['body']) => requestFromWire(jexia, request('POST', '/auth', { body }))
    const bytes = { kind: 'bytes' as const, bytes: Buffer.from('{"method": "apk",') }
    const unreadable = auth(bytes)
    if (unreadable.kind !== 'call') throw new Error(unreadable.kind)
    expect(unreadable.contract.body).toEqual(bytes)
    expect(auth({ kind: 'json', value: { method: 'apk', key: 'k', secret: 's' } }).kind).toBe('call')
    expect(auth({ kind: 'json', value: { method: 'other' } }).kind).toBe('unknown')
  })
})
