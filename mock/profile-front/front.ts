// `authconform mock --profile P`: a front that answers P's wire format. Each wire request
// is translated to the contract's (profiles/translate), answered in-process by the
// contract app (Fastify's inject: the contract's own validation, authentication, rate
// limits, control extension and defects), and the answer translated back. The front also
// serves the profile's OpenAPI document at /openapi.json and, when P names one, the
// provider-states endpoint (set-up without an admin API).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { Profile } from '../../profiles/profile.ts'
import { answerToWire, errorToWire, requestFromWire } from '../../profiles/translate/inbound.ts'
import { bodyBytes, bodyOf, type HttpAnswer, type HttpRequest } from '../../profiles/translate/message.ts'
import { BODY_LIMIT_BYTES } from '../http/app.ts'
import { problemOf, PROBLEM_CONTENT_TYPE } from '../http/problem.ts'
import type { ErrorCode } from '../domain/errors.ts'
import { answerComposed } from './compositions.ts'
import { answerWireQuery } from './wire-query.ts'
import { answerProviderState, type ProviderStateContext } from './provider-states.ts'

export interface FrontOptions {
  profile: Profile
  /** The contract app, ready (it does not listen itself). */
  app: FastifyInstance
  logger: FastifyBaseLogger
  states: Omit<ProviderStateContext, 'profile' | 'contract'>
}

export function createFront(options: FrontOptions): Server {
  const server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      options.logger.error({ err: error }, 'the profile front failed to handle a request')
      if (!response.headersSent) write(response, problemAnswer(options.profile, 'internal_error', 'The server failed to handle the request.'))
      else response.destroy()
    })
  })
  return server
}

async function handle(options: FrontOptions, incoming: IncomingMessage, response: ServerResponse): Promise<void> {
  const { profile } = options
  const body = await readBody(incoming)
  if (body === TOO_LARGE) {
    response.setHeader('connection', 'close')
    return write(response, problemAnswer(profile, 'payload_too_large', 'The request body is larger than 1 MiB.'))
  }
  const url = new URL(incoming.url ?? '/', 'http://front.invalid')
  const request: HttpRequest = {
    method: (incoming.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: headersOf(incoming),
    body: bodyOf(body),
  }
  const contract = (forwarded: HttpRequest, raw?: Buffer) => inject(options.app, forwarded, incoming.socket.remoteAddress, raw)
  const passedOn = async () => {
    const answer = await contract(request, body)
    return { ...answer, body: answer.raw.length > 0 ? { kind: 'bytes' as const, bytes: answer.raw } : answer.body }
  }
  if (request.method === 'GET' && request.path === '/openapi.json') {
    return write(response, { status: 200, headers: { 'content-type': 'application/json' }, body: { kind: 'json', value: profile.openapi as never } })
  }
  if (profile.document.setup?.provider_states === request.path) {
    return write(response, await answerProviderState({ ...options.states, profile, contract }, request))
  }
  const arrival = requestFromWire(profile, request)
  if (arrival.kind === 'contract') return write(response, await passedOn())
  if (arrival.kind === 'unknown') {
    return write(response, problemAnswer(profile, 'not_found', `There is no route ${request.method} ${request.path} in the ${profile.title} wire format.`))
  }
  if (arrival.kind === 'composed') {
    const answer = await answerComposed(profile, arrival.composed, arrival.wire, contract)
    return write(response, 'reason' in answer ? problemAnswer(profile, 'invalid_request', `The request cannot be read: ${answer.reason}.`) : answer)
  }
  if (arrival.call.request.query !== undefined) {
    const queried = await answerWireQuery(arrival.call.request.query, request, arrival.contract, contract)
    if (queried.kind === 'invalid') return write(response, problemAnswer(profile, 'invalid_request', `The query is not valid: ${queried.reason}.`))
    return write(response, answerToWire(profile, arrival.call, queried.answer))
  }
  write(response, answerToWire(profile, arrival.call, await contract(arrival.contract)))
}

/** The contract app's answer to a request, its body parsed, and the bytes as they came (for calls passed on unchanged). */
async function inject(app: FastifyInstance, request: HttpRequest, remoteAddress: string | undefined, raw?: Buffer): Promise<HttpAnswer & { raw: Buffer }> {
  const query = new URLSearchParams(request.query).toString()
  const payload = raw ?? bodyBytes(request.body)
  const answer = await app.inject({
    method: request.method as 'GET',
    url: `${request.path}${query ? `?${query}` : ''}`,
    headers: payload ? { ...request.headers, 'content-length': String(payload.length) } : request.headers,
    ...(payload && { payload }),
    // Rate limits per address and the control extension's loopback rule see the wire client.
    ...(remoteAddress && { remoteAddress }),
  })
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value)
  }
  return { status: answer.statusCode, headers, body: bodyOf(answer.rawPayload), raw: answer.rawPayload }
}

function write(response: ServerResponse, answer: HttpAnswer): void {
  // Translated answers carry JSON values; answers passed on unchanged carry their bytes.
  const bytes = answer.body.kind === 'bytes' ? answer.body.bytes : bodyBytes(answer.body)
  const { 'content-length': _length, 'transfer-encoding': _encoding, connection: _connection, ...headers } = answer.headers
  response.writeHead(answer.status, { ...headers, ...(bytes ? { 'content-length': String(bytes.length) } : {}) })
  response.end(bytes)
}

/** A contract problem said in the profile's envelope. */
export function problemAnswer(profile: Profile, code: ErrorCode, detail: string): HttpAnswer {
  const problem = problemOf(code, detail)
  return errorToWire(profile, { status: problem.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE }, body: { kind: 'json', value: { ...problem } as never } })
}

const TOO_LARGE = Symbol('too large')

function readBody(incoming: IncomingMessage): Promise<Buffer | typeof TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > BODY_LIMIT_BYTES) {
        incoming.removeAllListeners('data')
        incoming.resume()
        resolve(TOO_LARGE)
        return
      }
      chunks.push(chunk)
    })
    incoming.on('end', () => resolve(Buffer.concat(chunks)))
    incoming.on('error', reject)
  })
}

function headersOf(incoming: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined && name !== 'host' && name !== 'connection') headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}
