// The CORS answer of every route (@fastify/cors), and the headers it adds to an answer that
// is not a preflight — which the kept-list lane (kept-list-lane.ts) adds by itself, since it
// answers before the plugin runs.
//
// Only a request with an Origin gets CORS headers: browsers send one on every cross-origin
// request (Fetch, "CORS protocol"), and no other reader of an answer uses them. Every other
// answer carries Vary: Origin alone (a cache must not give it to a page), not ~130 bytes of
// Access-Control-Expose-Headers that nothing reads — on a page of 20 records that was
// 1–3 % of the list's req/s (BENCHMARKS.md §1b).
import type { FastifyCorsOptions, OriginFunction } from '@fastify/cors'

const EXPOSED_HEADERS = 'RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, WWW-Authenticate, Location'

/** Whether a request has an Origin: an empty one is none (the plugin reflects none), so it gets no CORS headers. */
export function hasOrigin(origin: string | undefined): boolean {
  return Boolean(origin)
}

/** The request's Origin reflected when it has one; without one, no CORS (the plugin then adds only Vary). */
const reflectPresentOrigin: OriginFunction = (origin, callback) => callback(null, hasOrigin(origin))

export const CORS_OPTIONS = {
  origin: reflectPresentOrigin,
  // A bare OPTIONS with an Origin (no preflight headers) is 204 with Allow too, not a
  // text/plain 400; one without an Origin is answered by bare-options.ts.
  strictPreflight: false,
  // Strings, not lists: the plugin joins a list again on every answer.
  methods: 'GET, HEAD, POST, PUT, PATCH, DELETE',
  exposedHeaders: EXPOSED_HEADERS,
  maxAge: 600,
} as const satisfies FastifyCorsOptions

/**
 * The plugin's headers on an answer that is not a preflight, as a flat name, value list in
 * the plugin's order: Vary always (the answer differs with the Origin); then, for a request
 * with an Origin, that Origin reflected and the exposed headers.
 */
export function corsHeaderLines(origin: string | undefined): string[] {
  if (origin === undefined || !hasOrigin(origin)) return ['vary', 'Origin']
  return ['vary', 'Origin', 'access-control-allow-origin', origin, 'access-control-expose-headers', EXPOSED_HEADERS]
}
