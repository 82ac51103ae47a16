// Content that nothing reads — sent to an operation that defines no request body — is
// ignored, as the contract's rules say (openapi.yaml, info): neither parsed nor refused.
// Fastify judges content before any handler runs (415 for a malformed Content-Type, 400
// for bad JSON), so the Content-Type header goes, and with it every parser but the
// catch-all one here. (Requests to no route are answered before their content is read:
// unknown-routes.ts.)
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
