// The fuzzer's requests, as fast-check values. They are symbolic where the server's state
// matters — "a live admin token", "the 3rd known user id" — and resolved only when sent
// (send.ts), so a shrunk counterexample still reads as what was meant and still hits
// something real. Everything else (bodies, query strings, odd headers) is literal.
import { METHODS } from 'node:http'
import fc from 'fast-check'
import { fuzzOperations, type FuzzOperation, type FuzzParameter } from './operations.ts'
import { invalidOf, validOf } from './schema-arbitrary.ts'

/** A path parameter: an id the server knows (index into what was seen), a drawn text, or raw URL bytes. */
export type PathValue = { known: number } | { text: string } | { raw: string }

export type Credential =
  | { kind: 'none' }
  /** A live access token of the admin key, a client key or a user (minted by the fuzzer). */
  | { kind: 'bearer'; who: 'admin' | 'client' | 'user' }
  | { kind: 'revoked' }
  | { kind: 'apikey'; who: 'admin' | 'wrong-secret' }
  | { kind: 'basic'; who: 'user' | 'wrong-password' }
  /** Sent as the Authorization header verbatim. */
  | { kind: 'raw'; value: string }

export type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  /** A JSON document just over the contract's 1 MiB limit, built at send time. */
  | { kind: 'huge' }

export interface FuzzRequest {
  operationId: string
  method: string
  template: string
  params: Record<string, PathValue>
  query: Array<[string, string]>
  credential: Credential
  contentType: string | undefined
  body: Body
  headers: Record<string, string>
}

const HOSTILE_SEGMENTS = ['%ZZ', '%', '..', '.', '%2e%2e', '%00', 'a%2Fb', '%C0%AE', '%F0%9F%98%80', "'%20OR%201=1", '{id}', 'x'.repeat(101), 'y'.repeat(129)]
const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'Application/JSON']
const OTHER_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/problem+json', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/xml']
/** Visible ASCII and spaces: what an HTTP client can put in a header at all. */
const HEADER_TEXT = fc.string({ maxLength: 60, unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) })

const ODD_HEADERS = fc.oneof(
  fc.constant({}),
  fc.constant({ accept: 'text/html' }),
  fc.constant({ origin: 'http://evil.test' }),
  fc.constant({ 'content-encoding': 'gzip' }),
  fc.constant({ 'x-forwarded-for': '203.0.113.7' }),
  HEADER_TEXT.map((value) => ({ 'x-control-token': value || 'x' })),
  HEADER_TEXT.map((value) => ({ 'x-fuzz': value })),
)

function pathValue(parameter: FuzzParameter): fc.Arbitrary<PathValue> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.nat().map((known) => ({ known })) },
    { weight: 2, arbitrary: validOf(parameter.schema).map((text) => ({ text: String(text) })) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS).map((raw) => ({ raw })) },
  )
}

function queryOf(operation: FuzzOperation): fc.Arbitrary<Array<[string, string]>> {
  const each = operation.queryParams.map((parameter) =>
    fc.option(
      fc
        .oneof(
          { weight: 3, arbitrary: validOf(parameter.schema).map(String) },
          { weight: 2, arbitrary: invalidOf(parameter.schema).map((value) => (typeof value === 'string' ? value : JSON.stringify(value) ?? '')) },
        )
        .map((value): [string, string] => [parameter.name, value]),
      { nil: undefined, freq: 2 },
    ),
  )
  const extra = fc.option(fc.tuple(fc.constantFrom('limit', 'x', 'cursor', 'access_token'), HEADER_TEXT), { nil: undefined, freq: 4 })
  return fc.tuple(fc.tuple(...each), extra).map(([pairs, more]) =>
    [...pairs, more].filter((pair): pair is [string, string] => pair !== undefined),
  )
}

function credentialOf(operation: FuzzOperation): fc.Arbitrary<Credential> {
  const forged = fc.oneof(
    HEADER_TEXT.map((value): Credential => ({ kind: 'raw', value })),
    HEADER_TEXT.map((value): Credential => ({ kind: 'raw', value: `Bearer ${value}` })),
    fc.constantFrom<Credential>(
      { kind: 'raw', value: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
      { kind: 'raw', value: 'Bearer a.b.c' },
      { kind: 'raw', value: 'ApiKey key_nope0000000000000000:sk_x' },
      { kind: 'raw', value: 'Basic !!!' },
    ),
  )
  const none = fc.constant<Credential>({ kind: 'none' })
  const live = fc.constantFrom<Credential>(
    { kind: 'bearer', who: 'admin' },
    { kind: 'bearer', who: 'admin' },
    { kind: 'bearer', who: 'client' },
    { kind: 'bearer', who: 'user' },
    { kind: 'apikey', who: 'admin' },
  )
  const refused = fc.constantFrom<Credential>({ kind: 'revoked' }, { kind: 'apikey', who: 'wrong-secret' })
  if (operation.operationId === 'signIn') {
    const basic = fc.constantFrom<Credential>({ kind: 'basic', who: 'user' }, { kind: 'basic', who: 'wrong-password' })
    return fc.oneof({ weight: 5, arbitrary: none }, { weight: 2, arbitrary: basic }, { weight: 1, arbitrary: forged })
  }
  if (operation.anonymous) return fc.oneof({ weight: 6, arbitrary: none }, { weight: 1, arbitrary: live }, { weight: 1, arbitrary: forged })
  return fc.oneof({ weight: 8, arbitrary: live }, { weight: 1, arbitrary: none }, { weight: 1, arbitrary: refused }, { weight: 1, arbitrary: forged })
}

function bodyOf(operation: FuzzOperation): fc.Arbitrary<{ contentType: string | undefined; body: Body }> {
  const jsonType = fc.constantFrom(...JSON_TYPES)
  const json = (value: fc.Arbitrary<unknown>) => fc.record({ contentType: jsonType, body: value.map((v): Body => ({ kind: 'json', value: v })) })
  const garbage = fc.record({
    contentType: fc.option(fc.constantFrom(...JSON_TYPES, ...OTHER_TYPES), { nil: undefined }),
    body: fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.constantFrom('{', '{"a":', 'null', '[]', '""', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000', '{}{}'),
    ).map((text): Body => ({ kind: 'text', text })),
  })
  const none = fc.constant({ contentType: undefined, body: { kind: 'none' } as Body })
  const huge = fc.constant({ contentType: 'application/json', body: { kind: 'huge' } as Body })
  if (!operation.bodySchema) {
    return fc.oneof({ weight: 12, arbitrary: none }, { weight: 1, arbitrary: json(fc.jsonValue({ maxDepth: 1 })) }, { weight: 1, arbitrary: garbage })
  }
  const wrongType = fc.record({
    contentType: fc.constantFrom(...OTHER_TYPES),
    body: validOf(operation.bodySchema).map((v): Body => ({ kind: 'text', text: JSON.stringify(v) })),
  })
  return fc.oneof(
    { weight: 10, arbitrary: json(validOf(operation.bodySchema)) },
    { weight: 7, arbitrary: json(invalidOf(operation.bodySchema)) },
    { weight: 2, arbitrary: garbage },
    { weight: 1, arbitrary: none },
    { weight: 1, arbitrary: wrongType },
    { weight: 1, arbitrary: fc.constant(null).chain(() => fc.oneof({ weight: 19, arbitrary: none }, { weight: 1, arbitrary: huge })) },
  )
}

function requestOf(operation: FuzzOperation): fc.Arbitrary<FuzzRequest> {
  const params = fc.record(Object.fromEntries(operation.pathParams.map((parameter) => [parameter.name, pathValue(parameter)])))
  return fc
    .record({ params, query: queryOf(operation), credential: credentialOf(operation), payload: bodyOf(operation), headers: ODD_HEADERS })
    .map(({ params, query, credential, payload, headers }) => ({
      operationId: operation.operationId,
      method: operation.method,
      template: operation.template,
      params,
      query,
      credential,
      contentType: payload.contentType,
      body: payload.body,
      headers,
    }))
}

/**
 * A route of the contract, or a path it does not have, called with any method Node's HTTP
 * parser accepts (CONNECT and QUERY included), with or without content.
 */
const strayRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    method: fc.constantFrom(...METHODS),
    template: fc.oneof(
      fc.constantFrom(...fuzzOperations.map((operation) => operation.template)),
      fc.webPath().map((path) => `/v1${path}`),
      fc.constantFrom('/', '/v2/keys', '/.well-known/', '/__control/', '/v1', '/docs/../v1/keys', '/v1/keys/'),
    ),
    credential: fc.constantFrom<Credential>({ kind: 'none' }, { kind: 'bearer', who: 'admin' }),
    payload: fc.constantFrom<{ contentType: string | undefined; body: Body }>(
      { contentType: undefined, body: { kind: 'none' } },
      { contentType: 'application/json', body: { kind: 'json', value: {} } },
      { contentType: 'application/json', body: { kind: 'text', text: '{' } },
      { contentType: 'text/plain', body: { kind: 'text', text: 'x' } },
    ),
  })
  .map(({ method, template, credential, payload }) => ({
    operationId: '(stray)',
    method,
    template,
    params: {},
    query: [],
    credential,
    contentType: payload.contentType,
    body: payload.body,
    headers: {},
  }))

export function fuzzRequest(operations: readonly FuzzOperation[] = fuzzOperations): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.oneof(...operations.map(requestOf)) },
    { weight: 1, arbitrary: strayRequest },
  )
}
