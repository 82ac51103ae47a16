// Kept list pages answered before the framework. A list page the domain keeps
// (domain/kept-lists.ts) answers every later request with the same deciders; what it then
// costs is the framework's per-request work — routing, request and reply objects, hooks —
// which a Fastify app doing nothing else already puts at 0.85× of bare node:http on a page
// of 20 (BENCHMARKS.md §1b). So this lane sits on the server's request event, before the
// app, and answers a GET of the list route itself when it can answer exactly as the app
// would:
// - the URL is one the route's own validation admitted before (learnt in a preHandler),
//   so its path and query are valid and their coerced values known;
// - the credential is answered at once or after its first verification (the same
//   `authenticate`: revocation, expiry and the clock are checked on every request);
// - the domain has the page kept and current (`keptListPage` changes nothing);
// - the `data` rate limit admits it (the same `consumeRateLimit`; a refusal counts nothing).
// Everything else goes to the app, before anything was counted or answered, and the app
// decides it as if the lane did not exist — a refused credential, a 403, a 429, a new URL.
// Same headers (the CORS ones too, the Origin reflected as the plugin reflects it), same
// bytes, same request line (request-line.ts), in the same order. (Their bytes, as every
// connection's, go out at the end of the event loop's turn: turn-writes.ts.)
// Only for the in-memory mock without the control extension or replaced seams: a gate,
// the journal, faults or defects each hook into the app's stages (app.ts).
import type { FastifyRequest, RouteOptions } from 'fastify'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import type { Domain, ListRecordsInput, Principal, RateLimitStatus } from '../domain/types.ts'
import { corsHeaderLines } from './cors-options.ts'
import { credentialFrom } from './credentials.ts'
import { routesFromContract } from './openapi-routes.ts'
import { JSON_CONTENT_TYPE, pageBodies } from './operations/records-json.ts'
import { rateLimitHeaders } from './rate-limit-headers.ts'
import type { WriteRequestLine } from './request-line.ts'
import { pathOf } from './request-path.ts'

/** URLs learnt at most; past it the oldest is forgotten (its next request goes to the app and is learnt again). */
export const LEARNT_URL_LIMIT = 1_000

export interface KeptListLaneOptions {
  domain: () => Domain
  /** False until the fixtures are in: earlier requests wait in the app's ready hook. */
  seeded: () => boolean
  /** The app's request ids (its `genReqId`). */
  nextRequestId: () => string
  /** The request line's writer; absent when the log level writes none. */
  writeLine?: WriteRequestLine
}

export interface KeptListLane {
  /** The app's onRoute hook: the list route learns the URLs its validation admits. */
  onRoute(route: RouteOptions): void
  /** Puts the lane in front of the app's own listener of `server`'s requests. */
  install(server: Server): void
}

/** What a URL of the list route was validated to: the list's input but its caller. */
type LearntQuery = Omit<ListRecordsInput, 'principal'>

const CONTENT_TYPE_LINE = Object.entries(JSON_CONTENT_TYPE).flat()

type Listener = (request: IncomingMessage, response: ServerResponse) => void

/**
 * Runs a step of the lane; the app answers what it leaves. Nothing the lane calls throws
 * past its own checks, but on the server's request event (or in a promise callback) an
 * exception would end the process, where the app would have answered a 500: the app gets
 * any request left unanswered that way, and the connection of one half-answered is closed.
 */
function guarded(request: IncomingMessage, response: ServerResponse, app: Listener, step: () => boolean): void {
  let answered: boolean
  try {
    answered = step()
  } catch (error) {
    if (response.headersSent) response.destroy(error as Error)
    else app(request, response)
    return
  }
  if (!answered) app(request, response)
}

const listRoute = routesFromContract().find((route) => route.operationId === 'listRecords')!
// The lane answers as the app's stages do for this route; were the contract to change them, it must change too.
if (listRoute.method !== 'GET' || !listRoute.authenticated || !listRoute.rateLimited || listRoute.noStore) {
  throw new Error('the kept-list lane answers an authenticated, rate-limited GET without Cache-Control: the contract changed listRecords')
}

export function createKeptListLane({ domain, seeded, nextRequestId, writeLine }: KeptListLaneOptions): KeptListLane {
  const learnt = new Map<string, LearntQuery>()

  function learn(request: FastifyRequest, _reply: unknown, done: () => void): void {
    if (!learnt.has(request.url)) {
      const { name } = request.params as { name: string }
      const { limit, cursor } = request.query as { limit?: number; cursor?: string }
      learnt.set(request.url, { dataset: name, limit, cursor })
      if (learnt.size > LEARNT_URL_LIMIT) learnt.delete(learnt.keys().next().value!)
    }
    done()
  }

  /** Answers the request and returns true, or returns false having counted and answered nothing. */
  function answer(request: IncomingMessage, response: ServerResponse, app: Listener): boolean {
    if (request.method !== 'GET' || !seeded()) return false
    const query = learnt.get(request.url!)
    if (query === undefined) return false
    const started = performance.now()
    let principal: ReturnType<Domain['authenticate']>
    try {
      principal = domain().authenticate(credentialFrom(request.headers.authorization))
    } catch {
      return false
    }
    if (principal instanceof Promise) {
      // Its first verification: answered when it settles; refused, the app verifies and answers it.
      principal.then(
        (verified) => guarded(request, response, app, () => admitted(request, response, app, query, verified, started)),
        () => app(request, response),
      )
      return true
    }
    return admitted(request, response, app, query, principal, started)
  }

  function admitted(request: IncomingMessage, response: ServerResponse, app: Listener, query: LearntQuery, principal: Principal, started: number): boolean {
    const current = domain()
    let page
    try {
      page = current.keptListPage({ principal, ...query })
    } catch {
      return false
    }
    if (page === undefined) return false
    let counted: ReturnType<Domain['consumeRateLimit']>
    try {
      counted = current.consumeRateLimit('data', { subject: principal.subject.id })
    } catch {
      return false
    }
    const body = pageBodies.body(page)
    if (!(counted instanceof Promise)) {
      return send(request, response, principal, counted, body, started)
    }
    // The lane runs only where the windows are in this process and answer at once; the type
    // allows a later answer, taken the same way (refused, it counted nothing: the app answers).
    counted.then(
      (status) => guarded(request, response, app, () => send(request, response, principal, status, body, started)),
      () => app(request, response),
    )
    return true
  }

  function send(request: IncomingMessage, response: ServerResponse, principal: Principal, counted: RateLimitStatus, body: Buffer | string, started: number): true {
    // In the order the app's stages set them: CORS (onRequest), the rate limit (admit), the
    // operation's answer. A flat list: spreading objects into one per request cost 8 % of the
    // lane's busy time (profile).
    const headers = corsHeaderLines(request.headers.origin)
    const limits = rateLimitHeaders(counted)
    for (const name in limits) headers.push(name, limits[name]!)
    headers.push(...CONTENT_TYPE_LINE, 'content-length', String(Buffer.byteLength(body)))
    response.writeHead(200, headers)
    response.end(body)
    writeLine?.({
      reqId: nextRequestId(),
      method: 'GET',
      path: pathOf({ url: request.url! }),
      status: 200,
      ms: Math.round(performance.now() - started),
      subject: principal.subject.id,
      fault: undefined,
    })
    return true
  }

  return {
    onRoute(route) {
      if (route.method !== 'GET' || route.url !== listRoute.url) return
      const own = route.preHandler === undefined ? [] : [route.preHandler].flat()
      route.preHandler = [...own, learn]
    },
    install(server) {
      const [app, ...others] = server.listeners('request') as Listener[]
      if (app === undefined || others.length > 0) throw new Error('the kept-list lane goes in front of exactly one request listener (the app)')
      server.removeListener('request', app)
      server.on('request', (request: IncomingMessage, response: ServerResponse) => guarded(request, response, app, () => answer(request, response, app)))
    },
  }
}
