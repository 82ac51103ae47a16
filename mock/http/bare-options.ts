// OPTIONS that is not a CORS preflight asks which methods a URL supports (RFC 9110
// §9.3.7). This hook, added before @fastify/cors, adds `Allow` when the path is a route of
// the app and answers 404 problem+json when it is not, like any other request to an unknown
// route (ERR-014). With an Origin, the plugin then answers 204 with its CORS headers
// (strictPreflight off); without one the plugin adds only Vary (cors-options.ts), so this
// hook answers the 204 itself, as the plugin would: Vary: Origin, empty, Content-Length 0.
// Preflights (Origin + Access-Control-Request-Method) pass untouched: browsers rely on them.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { allowedMethods } from './allowed-methods.ts'
import { hasOrigin } from './cors-options.ts'
import { pathOf } from './request-path.ts'

export function answerBareOptions(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'OPTIONS' || isPreflight(request)) return done()
    const allowed = allowedMethods(app, pathOf(request))
    if (allowed.length === 0) {
      reply.callNotFound()
      return
    }
    reply.header('allow', allowed.join(', '))
    if (hasOrigin(request.headers.origin)) return done()
    reply.code(204).header('vary', 'Origin').header('content-length', '0').send()
  })
}

function isPreflight(request: FastifyRequest): boolean {
  return hasOrigin(request.headers.origin) && request.headers['access-control-request-method'] !== undefined
}
