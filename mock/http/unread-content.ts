// Content that nothing reads — sent to an operation that defines no request body, or to a
// route that does not exist — is ignored, as the contract's rules say (openapi.yaml, info):
// neither parsed nor refused. Fastify judges content before any handler runs (415 for a
// malformed Content-Type, 400 for bad JSON even on an unknown route), so the Content-Type
// header goes, and with it every parser but the catch-all one here.
import type { FastifyInstance } from 'fastify'

/** For a scope whose routes all take no body. */
export function ignoreContent(scope: FastifyInstance): void {
  scope.addHook('preParsing', (request, _reply, payload, done) => {
    delete request.headers['content-type']
    done(null, payload)
  })
  // Not read at all: Node discards unread content once the answer is sent.
  scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined))
}

/** A request to no route gets its 404 (ERR-014) whatever content it carries. */
export function ignoreContentOfUnknownRoutes(app: FastifyInstance): void {
  app.addHook('preParsing', (request, _reply, payload, done) => {
    // Without a Content-Type there is no parser to run, and Fastify hands a 404 straight to
    // the not-found handler.
    if (request.is404) delete request.headers['content-type']
    done(null, payload)
  })
}
