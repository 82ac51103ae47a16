// Which methods a path supports, read from the app's own router: the `Allow` of a bare
// OPTIONS (bare-options.ts) and of a 405 (unknown-routes.ts), so the two always agree.
import type { FastifyInstance, HTTPMethods } from 'fastify'

/** OPTIONS itself is left out: @fastify/cors routes it on every path. */
const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']

/** The methods `path` supports, OPTIONS last; empty when no route has this path. */
export function allowedMethods(app: FastifyInstance, path: string): string[] {
  const allowed: string[] = METHODS.filter((method) => app.findRoute({ method, url: path }) !== null)
  return allowed.length === 0 ? allowed : [...allowed, 'OPTIONS']
}
