// A request no route takes: its path is no route of the app (404 `not_found`, ERR-014),
// or the path is one but not for this method (405 `method_not_allowed` with `Allow`,
// ERR-019, RFC 9110 §15.5.6). It is answered as soon as it arrives, before its content is
// looked at: whatever it carries — a QUERY without Content-Type, malformed JSON, a body
// over 1 MiB — is neither parsed nor refused (the contract's rules, openapi.yaml info).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { allowedMethods } from './allowed-methods.ts'
import type { HttpSeams } from './http-seams.ts'
import { problemOf, sendProblem } from './problem.ts'
import { pathOf } from './request-path.ts'

/** Add after the CORS plugin, so that these answers carry its headers too. */
export function answerUnknownRoutes(app: FastifyInstance, seams: HttpSeams): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done()
    answerUnknownRoute(app, request, reply, seams)
  })
  // What reply.callNotFound() leads to (a bare OPTIONS on an unknown path, a missing docs page).
  app.setNotFoundHandler((request, reply) => answerUnknownRoute(app, request, reply, seams))
}

function answerUnknownRoute(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, seams: HttpSeams): FastifyReply {
  const path = pathOf(request)
  const allowed = allowedMethods(app, path)
  if (allowed.length === 0 || allowed.includes(request.method)) {
    return sendProblem(reply, problemOf('not_found', `There is no route ${request.method} ${path}.`), seams)
  }
  reply.header('allow', allowed.join(', '))
  return sendProblem(reply, problemOf('method_not_allowed', `${path} does not support ${request.method}; it supports ${allowed.join(', ')}.`), seams)
}
