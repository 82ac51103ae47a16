// Defects of the wire: status codes, challenge and rate-limit headers, body handling, rate
// limits, discovery links.
import type { Defect } from './defect.ts'
import { skip } from './defect.ts'

const UNAUTHENTICATED = new Set(['invalid_token', 'token_expired', 'token_revoked', 'invalid_credentials'])

export const wireDefects: Defect[] = [
  {
    name: 'forbidden-as-401',
    description: 'an authenticated caller without the permission is answered 401 instead of 403',
    requirements: ['ERR-008', 'ERR-017'],
    hooks: () => ({ http: { statusOf: (code, status) => (code === 'forbidden' ? 401 : status) } }),
  },
  {
    name: 'unauthenticated-as-403',
    description: 'missing or bad credentials are answered 403 instead of 401',
    requirements: ['ERR-005', 'ERR-017'],
    hooks: () => ({ http: { statusOf: (code, status) => (UNAUTHENTICATED.has(code) ? 403 : status) } }),
  },
  {
    name: 'www-authenticate-missing',
    description: '401 answers carry no WWW-Authenticate challenge',
    requirements: ['ERR-005', 'ERR-007', 'ERR-017'],
    hooks: () => ({ http: { challenge: () => undefined } }),
  },
  {
    name: 'retry-after-missing',
    description: '429 answers carry the RateLimit-* headers but no Retry-After',
    requirements: ['ERR-009', 'ERR-017'],
    hooks: () => ({
      http: { rateLimitedHeaders: ({ 'retry-after': _retryAfter, ...headers }) => headers },
    }),
  },
  {
    name: 'rate-limit-never-triggers',
    description: 'rate-limit windows count requests but never refuse one',
    requirements: ['DISC-005', 'ERR-012', 'ERR-013'],
    hooks: () => ({ domain: { windowExhausted: () => false } }),
  },
  {
    name: 'rate-limit-off-by-one',
    description: 'a rate limit lets request `limit + 1` through and refuses only the one after',
    requirements: ['DISC-005'],
    hooks: () => ({ domain: { windowExhausted: (count, limit) => count > limit } }),
  },
  {
    name: 'brute-force-limit-missing',
    description: 'failed sign-ins are not counted, so the brute-force lock never closes',
    requirements: ['ERR-011'],
    hooks: () => ({ domain: { onSignInFailure: skip } }),
  },
  {
    name: 'malformed-json-500',
    description: 'a body that is not valid JSON falls through to the unexpected-error handler: 500',
    requirements: ['ERR-002', 'ERR-017'],
    hooks: () => ({ http: { malformedJson: () => undefined } }),
  },
  {
    name: 'unknown-fields-accepted',
    description: 'body properties the schema does not define are silently stripped instead of refused',
    requirements: ['ERR-004'],
    hooks: () => ({ http: { removeAdditional: true } }),
  },
  {
    name: 'problem-as-plain-json',
    description: 'errors are sent as application/json instead of application/problem+json',
    requirements: ['ERR-001', 'ERR-017'],
    hooks: () => ({ http: { problemContentType: 'application/json' } }),
  },
  {
    name: 'jwks-uri-elsewhere',
    description: "jwks_uri names the server as it sees itself (localhost), not by the issuer's origin",
    requirements: ['DISC-001'],
    hooks: () => ({
      domain: {
        jwksUri: (issuer) => {
          const url = new URL(`${issuer}/.well-known/jwks.json`)
          // The same server under another name: fetching it may even work, the origin is still wrong.
          url.hostname = url.hostname === 'localhost' ? '127.0.0.1' : 'localhost'
          return url.href
        },
      },
    }),
  },
]
