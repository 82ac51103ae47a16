// Turns contract routes plus an operation table into Fastify routes. Before a protected
// operation's body is parsed, its caller is authenticated (401), held to admin-only
// operations (403) and counted against the `data` rate limit (429) — in that order.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Domain } from '../domain/types.ts'
import { credentialFrom } from './credentials.ts'
import { routesFromContract, type OperationId, type RouteSpec } from './openapi-routes.ts'
import type { Call, Operation, OperationTable } from './operation.ts'
import { rateLimitHeaders } from './rate-limit-headers.ts'

export interface RegisterOptions {
  operations: OperationTable
  domain: () => Domain
  /** Runs first on every request to these routes (the control extension's access check). */
  guard?: (request: FastifyRequest) => void
}

const contractRoutes = routesFromContract()

export function registerOperations(app: FastifyInstance, { operations, domain, guard }: RegisterOptions): void {
  for (const operationId of Object.keys(operations)) {
    const route = contractRoutes.find((candidate) => candidate.operationId === operationId)
    if (!route) throw new Error(`operation ${operationId} has a handler but is not in the contract`)
    const operation = operations[operationId as OperationId] as Operation<OperationId>
    app.route({
      method: route.method,
      url: route.url,
      schema: route.schema,
      async onRequest(request, reply) {
        guard?.(request)
        if (route.authenticated) await admit(request, reply, route, operation, domain())
      },
      async handler(request, reply) {
        const answer = await operation.handle(callOf(request, domain()))
        if (route.noStore) reply.header('cache-control', 'no-store')
        if (answer.headers) reply.headers(answer.headers)
        return reply.code(answer.status).send(answer.body)
      },
    })
  }
}

async function admit(
  request: FastifyRequest,
  reply: FastifyReply,
  route: RouteSpec,
  operation: Operation<OperationId>,
  domain: Domain,
): Promise<void> {
  const principal = await domain.authenticate(credentialFrom(request.headers.authorization))
  request.principal = principal
  if (operation.adminOnly) domain.requireAdmin(principal)
  // A protected operation that declares 429 is a data operation: counted per subject.
  if (route.rateLimited) {
    reply.headers(rateLimitHeaders(domain.consumeRateLimit('data', { subject: principal.subject.id })))
  }
}

function callOf(request: FastifyRequest, domain: Domain): Call<OperationId> {
  return {
    domain,
    body: request.body as never,
    params: request.params as never,
    query: request.query as never,
    get principal() {
      if (!request.principal) throw new Error('a public operation asked for the caller')
      return request.principal
    },
    address: request.ip,
    authorization: request.headers.authorization,
  }
}
