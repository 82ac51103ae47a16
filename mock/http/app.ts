// The mock's HTTP layer: a Fastify app whose API routes come from the OpenAPI bundle,
// validated by the contract's schemas, answered by thin operation handlers, with every
// failure turned into problem+json in one place (problem.ts).
import cors from '@fastify/cors'
import type { Socket } from 'node:net'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { Clock } from '../clock.ts'
import type { Domain, Principal } from '../domain/types.ts'
import type { Journal } from '../control/journal.ts'
import type { FaultTable } from '../control/fault-table.ts'
import { answerBareOptions } from './bare-options.ts'
import { answerClientError } from './client-errors.ts'
import { answerConnectRequests } from './connect-requests.ts'
import { CORS_OPTIONS } from './cors-options.ts'
import { logsAt } from '../logging.ts'
import { createRequestIds, requestLineWriter, type RequestLine, type WriteRequestLine } from './request-line.ts'
import { createKeptListLane, type KeptListLane, type KeptListLaneOptions } from './kept-list-lane.ts'
import { registerDocs } from './docs.ts'
import { resolveHttpSeams, type HttpSeams } from './http-seams.ts'
import { problemFromError, problemOf, sendProblem } from './problem.ts'
import { longestPathParameter, routesFromContract } from './openapi-routes.ts'
import { registerOperations } from './register-operations.ts'
import { lazyRequestLogger } from './request-logger.ts'
import { pathOf } from './request-path.ts'
import { answerUnknownRoutes } from './unknown-routes.ts'
import type { RequestGate } from './request-gate.ts'
import { createTurnWrites, writeAtTurnEnd } from './turn-writes.ts'
import { createValidatorCompiler } from './validation.ts'
import { addFaultHook } from './fault-hook.ts'
import { apiOperations } from './operations/index.ts'
import { checkControlAccess } from '../control/control-access.ts'
import { controlOperations } from '../control/control-operations.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller of a protected operation. */
    principal: Principal | null
  }
}

/** RFC 8259 JSON bodies only; the contract's limit for request bodies. */
export const BODY_LIMIT_BYTES = 1024 * 1024

export interface AppOptions {
  logger: FastifyBaseLogger
  clock: Clock
  /** The domain, once seeded; requests arriving before that wait for `ready`. */
  domain: () => Domain
  ready: Promise<void>
  /** Present when the test-control extension is enabled. */
  control?: { journal: Journal; faults?: FaultTable; token: string | undefined }
  /** Replacement implementations of named HTTP seams (the defect catalogue's hook). */
  seams?: Partial<HttpSeams>
  /** Present when the mock shares its state with other processes (request-gate.ts). */
  gate?: RequestGate
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const seams = resolveHttpSeams(options.seams)
  // The router's errors are answered outside every route, so no hook sees them: their log
  // line and journal entry are written here (set once the hooks below exist).
  let recordRouterError: RecordAnswered = () => undefined
  const nextRequestId = createRequestIds()
  const writeLine = requestLineWriter(options.logger)
  const seeded = seededFlag(options.ready)
  const lane = laneFor(options, { seeded, nextRequestId, ...(writeLine && { writeLine }) })
  const app = Fastify({
    // A silent logger is left out: Fastify then skips making a child logger per request.
    ...(logsAt(options.logger, 'fatal') && { loggerInstance: options.logger }),
    // One line per request is written by the onResponse hook below, without query strings.
    logController: new LogController({ disableRequestLogging: true }),
    // request.log exists for errors and warnings: its pino child is made when one is written.
    childLoggerFactory: lazyRequestLogger,
    // One count for the app and the kept-list lane.
    genReqId: nextRequestId,
    bodyLimit: BODY_LIMIT_BYTES,
    // close() must not wait for idle keep-alive sockets of clients (tests, suites).
    forceCloseConnections: true,
    // Long enough for every id the contract allows (a code point may be two UTF-16 units),
    // so that the contract's own bounds answer, not the router.
    routerOptions: { maxParamLength: 2 * longestPathParameter(routesFromContract()) },
    // The router's errors (a path that is not valid percent-encoding, a segment longer than
    // any id) go through the one problem mapping, like every other error.
    frameworkErrors: (error, request, reply) => {
      handleError(error, request, reply, seams)
      recordRouterError(request, reply)
    },
    clientErrorHandler: answerClientError,
  })
  app.decorateRequest('principal', null)
  if (options.gate) app.decorateRequest('ticket', null)
  // Only JSON bodies: any other Content-Type is 415 (Fastify's text/plain parser would
  // hand a string to the JSON Schema and make it a confusing 400).
  app.removeContentTypeParser('text/plain')
  app.setValidatorCompiler(createValidatorCompiler(seams))
  app.setErrorHandler((error, request, reply) => handleError(error, request, reply, seams))

  answerBareOptions(app)
  await app.register(cors, CORS_OPTIONS)
  answerUnknownRoutes(app, seams)
  answerConnectRequests(app)

  const { recordUnanswered, recordAnswered } = addRequestHooks(app, options, seeded, writeLine)
  recordRouterError = recordAnswered

  const faults = options.control?.faults
  if (faults && recordUnanswered) {
    app.decorateRequest('fault', null)
    addFaultHook(app, { faults, domain: options.domain, seams, recordUnanswered })
  }
  if (lane) app.addHook('onRoute', lane.onRoute)
  registerOperations(app, { operations: apiOperations, domain: options.domain, gate: options.gate })
  if (options.control) {
    const { journal, faults, token } = options.control
    registerOperations(app, {
      operations: controlOperations({ clock: options.clock, journal, faults }),
      domain: options.domain,
      gate: options.gate,
      guard: (request) => checkControlAccess({ controlToken: token, presented: request.headers['x-control-token'], address: request.ip }),
    })
  }
  registerDocs(app)
  lane?.install(app.server)
  // Every connection's bytes, the lane's answers and the app's alike, are written together
  // at the end of the event loop's turn, in one queue (turn-writes.ts).
  const atTurnEnd = createTurnWrites()
  app.server.on('connection', (socket: Socket) => writeAtTurnEnd(socket, atTurnEnd))
  return app
}

/**
 * The kept-list lane (kept-list-lane.ts) where nothing else hooks into the list route's
 * stages: not behind a gate, nor with the control extension (journal, faults), nor with a
 * replaced seam.
 */
function laneFor(options: AppOptions, lane: Omit<KeptListLaneOptions, 'domain'>): KeptListLane | undefined {
  if (options.gate || options.control || Object.keys(options.seams ?? {}).length > 0) return undefined
  return createKeptListLane({ domain: options.domain, ...lane })
}

/** Whether `ready` has settled: read on every request, where awaiting it would cost a microtask turn. */
function seededFlag(ready: Promise<void>): () => boolean {
  let seeded = false
  void ready.then(() => {
    seeded = true
  })
  return () => seeded
}

/**
 * The ready gate and the per-request log line / journal entry. Callback-style hooks with
 * plain checks: they run on every request, and an async hook would cost a promise and a
 * microtask turn each time even when there is nothing to wait for or to write. Returns
 * what writes the line and entry of a request answered where no hook runs, and, with the
 * control extension, of a request left unanswered.
 */
function addRequestHooks(
  app: FastifyInstance,
  { ready, control }: AppOptions,
  seeded: () => boolean,
  writeLine: WriteRequestLine | undefined,
): { recordUnanswered?: RecordUnanswered; recordAnswered: RecordAnswered } {
  app.addHook('onRequest', (_request, _reply, done) => {
    if (seeded()) done()
    else void ready.then(() => done())
  })
  // The level is fixed for the mock's lifetime: with no request line to write there is
  // no hook for it, and none for a journal without the control extension.
  const lineOf: RecordAnswered = (request, reply) => writeLine?.(requestLine(request, reply.statusCode, Math.round(reply.elapsedTime)))
  if (writeLine !== undefined) {
    app.addHook('onResponse', (request, reply, done) => {
      lineOf(request, reply)
      done()
    })
  }
  if (control === undefined) return { recordAnswered: lineOf }
  const journal = (request: FastifyRequest, status: number | null): void | Promise<void> => {
    const path = pathOf(request)
    if (path.startsWith('/__control/')) return undefined
    const { method, fault } = request
    const subject = request.principal?.subject ?? null
    // Decorated only where faults are offered: undefined there without one, null when no fault changed the request.
    return control.journal.record(fault ? { method, path, status, subject, fault } : { method, path, status, subject })
  }
  // Before the answer leaves: a shared journal must hold the entry when the next request asks.
  app.addHook('onSend', (request, reply, payload, done) => {
    const recorded = journal(request, reply.statusCode)
    if (recorded === undefined) done(null, payload)
    else recorded.then(() => done(null, payload), done)
  })
  return {
    recordUnanswered: (request) => {
      writeLine?.(requestLine(request, null, undefined))
      void journal(request, null)
    },
    recordAnswered: (request, reply) => {
      lineOf(request, reply)
      void journal(request, reply.statusCode)
    },
  }
}

/** The request line's fields; the request id first, as Fastify's per-request logger would bind it. */
function requestLine(request: FastifyRequest, status: number | null, ms: number | undefined): RequestLine {
  return { reqId: request.id, method: request.method, path: pathOf(request), status, ms, subject: request.principal?.subject?.id, fault: request.fault?.id }
}

/** Writes the log line and journal entry of a request that got no answer (status null). */
type RecordUnanswered = (request: FastifyRequest) => void
/** Writes the log line and journal entry of a request answered where no hook runs. */
type RecordAnswered = (request: FastifyRequest, reply: FastifyReply) => void

function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply, seams: HttpSeams): FastifyReply {
  const mapped = problemFromError(error, seams)
  if (!mapped) {
    request.log.error({ err: error }, 'unexpected error while handling a request')
    return sendProblem(reply, problemOf('internal_error', 'The server failed to handle the request.'), seams)
  }
  if (mapped.headers) reply.headers(mapped.headers)
  return sendProblem(reply, mapped.problem, seams)
}
