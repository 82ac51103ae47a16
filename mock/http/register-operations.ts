// Turns contract routes plus an operation table into Fastify routes. Before a protected
// operation's body is parsed, its caller is authenticated (401), held to admin-only
// operations (403) and counted against the `data` rate limit (429) — in that order.
// Operations that define no request body ignore whatever content is sent with them, and
// its Content-Type (the contract's decision, stated in its description): they live in a
// scope that reads no content (unread-content.ts), except GETs, whose content Fastify
// never reads. With a request gate (a replicated mock), every route passes through it.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { Domain, Principal } from '../domain/types.ts'
import { credentialFrom } from './credentials.ts'
import { routesFromContract, type OperationId, type RouteSpec } from './openapi-routes.ts'
import type { Answer, Call, Operation, OperationTable } from './operation.ts'
import { rateLimitHeaders } from './rate-limit-headers.ts'
import type { RequestGate, Ticket } from './request-gate.ts'
import { ignoreContent } from './unread-content.ts'
import { validationFailure } from './validation-problem.ts'

export interface RegisterOptions {
  operations: OperationTable
  domain: () => Domain
  /** Runs first on every request to these routes (the control extension's access check). */
  guard?: (request: FastifyRequest) => void
  /** Present when the mock shares its state with other processes (request-gate.ts). */
  gate?: RequestGate
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's pass through the gate, when there is one. */
    ticket: Ticket | null
  }
}

const contractRoutes = routesFromContract()

export function registerOperations(app: FastifyInstance, { operations, domain, guard, gate }: RegisterOptions): void {
  const routes = Object.keys(operations).map((operationId) => {
    const route = contractRoutes.find((candidate) => candidate.operationId === operationId)
    if (!route) throw new Error(`operation ${operationId} has a handler but is not in the contract`)
    return { route, operation: operations[operationId as OperationId] as Operation<OperationId> }
  })
  // Fastify never reads the content of a GET (nor its HEAD): those routes need no scope
  // that ignores content, and no per-request hook of that scope.
  const ignoresContent = ({ route }: { route: RouteSpec }) => route.bodyTypes.length === 0 && route.method !== 'GET'
  const add = (target: FastifyInstance, { route, operation }: (typeof routes)[number]) =>
    target.route({
      ...routeBase(route),
      ...(gate && !operation.stateless ? gatedStages(route, operation, domain, guard, gate) : stages(route, operation, domain, guard)),
    })
  for (const entry of routes.filter((candidate) => !ignoresContent(candidate))) add(app, entry)
  void app.register(async (scope) => {
    ignoreContent(scope)
    for (const entry of routes.filter(ignoresContent)) add(scope, entry)
  })
}

function routeBase(route: RouteSpec): Pick<RouteOptions, 'method' | 'url' | 'schema' | 'preValidation'> {
  const { optionalBody } = route
  return {
    method: route.method,
    url: route.url,
    schema: route.schema,
    // Fastify validates an absent body as null; a JSON `null` document is a body all the same.
    ...(optionalBody && {
      async preValidation(request: FastifyRequest) {
        if (request.body !== null) return
        const validate = request.compileValidationSchema(optionalBody, 'body')
        if (!validate(null)) throw validationFailure('body', validate.errors ?? [])
      },
    }),
  }
}

type Stages = Pick<RouteOptions, 'onRequest' | 'handler' | 'onSend' | 'onResponse'>

function stages(route: RouteSpec, operation: Operation<OperationId>, domain: () => Domain, guard: RegisterOptions['guard']): Stages {
  return {
    onRequest(request, reply, done) {
      guard?.(request)
      if (route.authenticated) admit(request, reply, route, operation, domain(), done)
      else done()
    },
    // Most operations answer synchronously: no promise and no microtask turn for them. Thrown
    // or rejected, an error reaches the one error handler through Fastify.
    handler(request, reply) {
      const answer = operation.handle(callOf(request, domain()))
      if (answer instanceof Promise) return answer.then((settled) => answerWith(reply, route, settled))
      answerWith(reply, route, answer)
    },
  }
}

/**
 * The same stages through the gate: enter before the first domain call, authenticate (and
 * count) before the body, run the operation as the gate's transaction — a change
 * authenticating again inside it, since what it reads there is what its commit checks —
 * and leave when the answer goes out (or the request failed earlier).
 */
function gatedStages(route: RouteSpec, operation: Operation<OperationId>, domain: () => Domain, guard: RegisterOptions['guard'], gate: RequestGate): Stages {
  const change = route.method !== 'GET'
  const leave = (request: FastifyRequest) => request.ticket?.leave()
  return {
    onRequest(request, reply, done) {
      gate.enter(change).then((ticket) => {
        request.ticket = ticket
        const admitted = (error?: Error) => {
          ticket.admitted()
          done(error)
        }
        // Inside a promise callback: what the checks throw must reach `done`, not the void.
        try {
          guard?.(request)
          if (route.authenticated) admit(request, reply, route, operation, domain(), admitted)
          else admitted()
        } catch (error) {
          admitted(error as Error)
        }
      }, done)
    },
    handler(request, reply) {
      const operate = () => operation.handle(callOf(request, domain()))
      const again = change && route.authenticated
      return request.ticket!.run(again ? () => authorize(request, operation, domain()).then(operate) : operate).then((answer) =>
        answerWith(reply, route, answer),
      )
    },
    onSend(request, _reply, payload, done) {
      leave(request)
      done(null, payload)
    },
    onResponse(request, _reply, done) {
      leave(request)
      done()
    },
  }
}

/** Authentication and the admin check again, without counting the `data` limit a second time. */
async function authorize(request: FastifyRequest, operation: Operation<OperationId>, domain: Domain): Promise<void> {
  const principal = await domain.authenticate(credentialFrom(request.headers.authorization))
  request.principal = principal
  if (operation.adminOnly) domain.requireAdmin(principal)
}

/** Returns the reply: a promise that settles with it tells Fastify the answer is on its way (hooks may still run). */
function answerWith(reply: FastifyReply, route: RouteSpec, answer: Answer): FastifyReply {
  if (route.noStore) reply.header('cache-control', 'no-store')
  if (answer.headers) reply.headers(answer.headers)
  return reply.code(answer.status).send(answer.body)
}

/**
 * Authenticates (401), holds to admin-only (403), counts the `data` limit (429), then `done`.
 * Synchronous where the domain answers at once (a token seen before, in-memory windows):
 * no promise and no microtask turn on the path nearly every request takes.
 */
function admit(
  request: FastifyRequest,
  reply: FastifyReply,
  route: RouteSpec,
  operation: Operation<OperationId>,
  domain: Domain,
  done: (error?: Error) => void,
): void {
  const authenticated = domain.authenticate(credentialFrom(request.headers.authorization))
  if (authenticated instanceof Promise) authenticated.then((principal) => admitPrincipal(request, reply, route, operation, domain, principal, done), done)
  else admitPrincipal(request, reply, route, operation, domain, authenticated, done)
}

function admitPrincipal(
  request: FastifyRequest,
  reply: FastifyReply,
  route: RouteSpec,
  operation: Operation<OperationId>,
  domain: Domain,
  principal: Principal,
  done: (error?: Error) => void,
): void {
  try {
    request.principal = principal
    if (operation.adminOnly) domain.requireAdmin(principal)
    // A protected operation that declares 429 is a data operation: counted per subject.
    if (route.rateLimited) {
      const counted = domain.consumeRateLimit('data', { subject: principal.subject.id })
      if (counted instanceof Promise) {
        counted.then((status) => {
          reply.headers(rateLimitHeaders(status))
          done()
        }, done)
        return
      }
      reply.headers(rateLimitHeaders(counted))
    }
  } catch (error) {
    done(error as Error)
    return
  }
  done()
}

/**
 * An operation's input. A class rather than an object literal with a `principal` getter:
 * V8 keeps such a literal in dictionary mode, one per request, which made every read of
 * the call slow and cost 13 % of a list request's CPU (paired bench).
 */
class RequestCall implements Call<OperationId> {
  readonly body: never
  readonly params: never
  readonly query: never
  readonly address: string
  readonly authorization: string | undefined

  constructor(
    private readonly request: FastifyRequest,
    readonly domain: Domain,
  ) {
    this.body = request.body as never
    this.params = request.params as never
    this.query = request.query as never
    this.address = request.ip
    this.authorization = request.headers.authorization
  }

  get principal(): Principal {
    if (!this.request.principal) throw new Error('a public operation asked for the caller')
    return this.request.principal
  }
}

function callOf(request: FastifyRequest, domain: Domain): Call<OperationId> {
  return new RequestCall(request, domain)
}
