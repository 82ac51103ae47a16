// The CORS answer of every route (@fastify/cors), and what it adds to an answer whose request
// carries no Origin — which the kept-list lane (kept-list-lane.ts) adds by itself, since it
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
 * The plugin's headers on an answer to a request without Origin: Vary, since the answer
 * would differ with one (the origin is reflected), and the exposed headers.
 */
export const CORS_HEADERS_WITHOUT_ORIGIN = { vary: 'Origin', 'access-control-expose-headers': EXPOSED_HEADERS } as const
