// The CORS answer of every route (@fastify/cors), and the headers it adds to an answer that
// is not a preflight — which the kept-list lane (kept-list-lane.ts) adds by itself, since it
// answers before the plugin runs.
import type { FastifyCorsOptions } from '@fastify/cors'

const EXPOSED_HEADERS = 'RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, WWW-Authenticate, Location'

export const CORS_OPTIONS = {
  origin: true,
  // A bare OPTIONS (no preflight headers) is 204 with Allow too, not a text/plain 400.
  strictPreflight: false,
  // Strings, not lists: the plugin joins a list again on every answer.
  methods: 'GET, HEAD, POST, PUT, PATCH, DELETE',
  exposedHeaders: EXPOSED_HEADERS,
  maxAge: 600,
} as const satisfies FastifyCorsOptions

/**
 * The plugin's headers on an answer that is not a preflight, as a flat name, value list in
 * the plugin's order: Vary always (the answer differs with the Origin), the request's
 * Origin reflected when it has one (`origin: true`; an empty one is not), the exposed
 * headers.
 */
export function corsHeaderLines(origin: string | undefined): string[] {
  const lines = ['vary', 'Origin']
  if (origin) lines.push('access-control-allow-origin', origin)
  lines.push('access-control-expose-headers', EXPOSED_HEADERS)
  return lines
}
