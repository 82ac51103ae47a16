// Turns a symbolic fuzz request into real bytes on the wire against the live server, and
// tells the state what the answer taught it (new ids, a credential that stopped working).
import { request } from 'undici'
import { rawExchange } from '../../support/raw-http.ts'
import { collectionOf, fuzzOperations } from './operations.ts'
import type { Body, Credential, FuzzRequest } from './requests.ts'
import type { Exchange, TargetState } from './target-state.ts'

export interface Sent {
  /** The concrete path with its query string, as sent. */
  url: string
  /** The Authorization header's kind, never its value (reports must not carry credentials). */
  credential: string
  exchange: Exchange
}

const HUGE = `{"blob":"${'x'.repeat(1024 * 1024 + 16)}"}`

export async function send(state: TargetState, fuzzed: FuzzRequest): Promise<Sent> {
  const url = urlOf(state, fuzzed)
  const authorization = await authorizationOf(state, fuzzed.credential)
  const headers: Record<string, string> = { ...fuzzed.headers }
  if (authorization !== undefined) headers.authorization = authorization
  if (fuzzed.contentType !== undefined) headers['content-type'] = fuzzed.contentType
  const { status, headers: responseHeaders, text } = await exchangeOf(state, fuzzed.method, url, headers, payloadOf(fuzzed.body))
  const exchange: Exchange = { status, headers: responseHeaders, text, body: parse(responseHeaders['content-type'], text) }
  if (fuzzed.operationId !== '(stray)') state.learn(fuzzed.template, fuzzed.method, exchange)
  // An injected fault breaks later answers on purpose (drops, delays of minutes), which the
  // oracle would hold against the server: the fuzzer tries the injection, then clears it.
  if (fuzzed.operationId === 'injectControlFault' && exchange.status === 201) {
    const cleared = await exchangeOf(state, 'DELETE', '/__control/faults', headers, undefined)
    if (cleared.status !== 204) throw new Error(`could not clear an injected fault: DELETE /__control/faults answered ${cleared.status}`)
  }
  // Tokens die of fuzzed requests (ended sessions, clock advances, resets): mint anew when refused.
  if (exchange.status === 401 && fuzzed.credential.kind === 'bearer') state.invalidate(fuzzed.credential.who)
  return { url, credential: describeCredential(fuzzed.credential), exchange }
}

/** undici refuses to send CONNECT: that one goes on a connection of its own. */
async function exchangeOf(state: TargetState, method: string, url: string, headers: Record<string, string>, body: string | undefined) {
  if (method === 'CONNECT') return rawExchange(state.baseUrl, { method, target: url, headers, ...(body !== undefined && { body }) })
  const response = await request(new URL(url, state.baseUrl), {
    method: method as 'GET',
    headers,
    body,
    dispatcher: state.dispatcher,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  })
  const text = await response.body.text()
  const responseHeaders = Object.fromEntries(
    Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value)]),
  )
  return { status: response.statusCode, headers: responseHeaders, text }
}

function urlOf(state: TargetState, fuzzed: FuzzRequest): string {
  const path = fuzzed.template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = fuzzed.params[name]
    if (!value) return 'missing'
    if ('raw' in value) return value.raw
    if ('text' in value) return encode(value.text)
    return encode(state.knownId(collectionOf(fuzzed.template, name), value.known) ?? 'none-known')
  })
  const query = fuzzed.query.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&')
  return query ? `${path}?${query}` : path
}

/** Lone surrogates have no UTF-8 form: they go on the wire as U+FFFD, as a browser would send them. */
function encode(text: string): string {
  return encodeURIComponent(Buffer.from(text, 'utf8').toString('utf8'))
}

async function authorizationOf(state: TargetState, credential: Credential): Promise<string | undefined> {
  switch (credential.kind) {
    case 'none':
      return undefined
    case 'raw':
      return credential.value
    case 'apikey':
      return credential.who === 'admin'
        ? `ApiKey ${state.adminCredentials.key}:${state.adminCredentials.secret}`
        : `ApiKey ${state.adminCredentials.key}:sk_wrongSecret000000000000000000000000000`
    case 'revoked':
      return `Bearer ${await state.revokedToken()}`
    case 'basic': {
      const { email, password } = await state.userCredentials()
      const presented = credential.who === 'user' ? password : `${password}-wrong`
      return `Basic ${Buffer.from(`${email}:${presented}`).toString('base64')}`
    }
    case 'bearer':
      return `Bearer ${await state.bearer(credential.who)}`
  }
}

function payloadOf(body: Body): string | undefined {
  switch (body.kind) {
    case 'none':
      return undefined
    case 'json':
      return JSON.stringify(body.value)
    case 'text':
      return body.text
    case 'huge':
      return HUGE
  }
}

function parse(contentType: string | undefined, text: string): unknown {
  if (text === '' || !/json/i.test(contentType ?? '')) return text === '' ? undefined : text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export function describeCredential(credential: Credential): string {
  if (credential.kind === 'raw') return `raw ${JSON.stringify(credential.value.slice(0, 40))}`
  return 'who' in credential ? `${credential.kind}:${credential.who}` : credential.kind
}

/** The operation a fuzz request targets, when it targets one of the contract's. */
export function operationOf(fuzzed: FuzzRequest) {
  return fuzzOperations.find((operation) => operation.operationId === fuzzed.operationId)
}
