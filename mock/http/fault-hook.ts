// Where injected faults (mock/control/fault-table.ts) meet requests: one onRoute hook
// wraps the handler of every route whose operation can be faulted. The wrapper runs where
// the operation's own work would start — after authentication, the admin check, the
// `data` rate limit and validation, so the subject is known and a request refused before
// is never faulted — and the domain never learns of faults. With no fault in force a
// request costs one property read more; without the control extension nothing is wrapped.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify'
import type { FaultAnswer, FaultTable } from '../control/fault-table.ts'
import type { Domain } from '../domain/types.ts'
import { afterEarlierAnswers } from './earlier-answers.ts'
import type { HttpSeams } from './http-seams.ts'
import { routesFromContract } from './openapi-routes.ts'
import { problemOf, sendProblem } from './problem.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The injected fault that changed this request (decorated only with the control extension). */
    fault: { id: string; effect: FaultAnswer['effect'] } | null
  }
}

export interface FaultHookOptions {
  faults: FaultTable
  domain: () => Domain
  seams: HttpSeams
  /** Writes the log line and journal entry of a request that gets no answer (a drop). */
  recordUnanswered: (request: FastifyRequest) => void
}

/**
 * The rate-limit scope whose window an injected 429 reports, as the RateLimit schema of the
 * contract assigns them: token exchange and sign-in have their own; the record operations
 * are counted before the handler, so their 429 keeps the window already in the reply.
 */
const SCOPE_OF: Record<string, 'token' | 'signin'> = { exchangeToken: 'token', signIn: 'signin' }

export function addFaultHook(app: FastifyInstance, options: FaultHookOptions): void {
  const { faults } = options
  const routes = new Map(routesFromContract().map((route) => [`${route.method} ${route.url}`, route]))
  const delays = new Set<NodeJS.Timeout>()
  app.addHook('onRoute', (route) => {
    if (typeof route.method !== 'string') return
    // Fastify adds a HEAD route for every GET; it runs the GET's operation.
    const spec = routes.get(`${route.method === 'HEAD' ? 'GET' : route.method} ${route.url}`)
    if (!spec || !faults.faultable(spec.operationId)) return
    const { operationId } = spec
    const handler = route.handler
    route.handler = function faultable(this: FastifyInstance, request, reply) {
      if (!faults.armed) return handler.call(this, request, reply)
      const fault = faults.take(operationId, request.principal?.subject)
      if (fault === undefined) return handler.call(this, request, reply)
      request.fault = { id: fault.id, effect: fault.effect }
      const act = () => {
        if (fault.effect === 'delay') return handler.call(this, request, reply)
        if (fault.effect === 'drop') return drop(request, reply, options)
        return answerError(fault, operationId, request, reply, options)
      }
      if (fault.delayMs === undefined) return act()
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          delays.delete(timer)
          resolve()
        }, fault.delayMs)
        delays.add(timer)
      }).then(act)
    } satisfies RouteHandlerMethod
  })
  // A delayed request must not keep a closing mock's process alive for minutes.
  app.addHook('onClose', (_app, done) => {
    for (const timer of delays) clearTimeout(timer)
    delays.clear()
    done()
  })
}

function answerError(fault: FaultAnswer, operationId: string, request: FastifyRequest, reply: FastifyReply, options: FaultHookOptions): FastifyReply {
  const retryAfter = String(fault.retryAfterSeconds)
  if (fault.headers.includes('retry-after')) reply.header('retry-after', retryAfter)
  if (fault.headers.includes('ratelimit-limit')) {
    const limit = reply.getHeader('ratelimit-limit') ?? declaredLimit(options.domain(), SCOPE_OF[operationId] ?? 'data')
    if (limit !== undefined) reply.header('ratelimit-limit', String(limit))
    reply.header('ratelimit-remaining', '0')
    reply.header('ratelimit-reset', retryAfter)
  }
  const detail = `Injected by fault ${fault.id} of the control extension (${request.method} ${operationId}).`
  return sendProblem(reply, problemOf(fault.code!, detail), options.seams)
}

/** The tightest limit discovery declares for the scope; undefined when it declares none. */
function declaredLimit(domain: Domain, scope: string): number | undefined {
  const limits = (domain.discovery().rate_limits ?? []).filter((rule) => rule.scope === scope).map((rule) => rule.limit)
  return limits.length > 0 ? Math.min(...limits) : undefined
}

/**
 * Closes the connection without an answer; Fastify is told the reply is handled elsewhere.
 * The answers to the requests before it on the connection are written first.
 */
function drop(request: FastifyRequest, reply: FastifyReply, options: FaultHookOptions): void {
  reply.hijack()
  const socket = request.raw.socket
  afterEarlierAnswers(socket, (holder) => holder === reply.raw, () => socket.destroySoon())
  options.recordUnanswered(request)
}
