// Defects of token issue, lifetimes, refresh rotation and token verification (AUTH-*, KEY-007, ERR-006).
import { decodeProtectedHeader } from 'jose'
import type { Defect } from './defect.ts'
import { skip } from './defect.ts'

const HUNDRED_YEARS_MS = 100 * 365 * 86_400_000

/** The `alg` of a compact JWS header, or undefined when the header does not decode. */
function algOf(token: string): unknown {
  try {
    return decodeProtectedHeader(token).alg
  } catch {
    return undefined
  }
}

export const tokenDefects: Defect[] = [
  {
    name: 'access-ttl-doubled',
    description: 'access tokens live twice the access_token_ttl that discovery declares',
    requirements: ['AUTH-003'],
    hooks: () => ({ domain: { accessTokenTtl: (seconds) => seconds * 2 } }),
  },
  {
    name: 'expires-in-disagrees-with-exp',
    description: '`expires_in` is shortened by a 60 s clock-skew margin while `exp` carries the full TTL',
    requirements: ['AUTH-003'],
    hooks: () => ({ domain: { expiresIn: ({ iat, exp }) => exp - iat - 60 } }),
  },
  {
    name: 'expires-in-ignores-key-cap',
    description: "`expires_in` reports the configured TTL even when the key's expiry cuts the token short",
    requirements: ['KEY-007'],
    hooks: () => ({ domain: { expiresIn: ({ configuredSeconds }) => configuredSeconds } }),
  },
  {
    name: 'tokens-outlive-key',
    description: "token expiries are not capped at the key's expires_at",
    requirements: ['KEY-007'],
    hooks: () => ({ domain: { capByKeyExpiry: (expiresAt) => expiresAt } }),
  },
  {
    name: 'refresh-not-rotated',
    description: 'refresh answers the presented refresh token again instead of a new one',
    requirements: ['AUTH-006'],
    hooks: () => ({ domain: { rotateRefresh: ({ presented }) => presented } }),
  },
  {
    name: 'refresh-reuse-accepted',
    description: 'refresh issues a new refresh token but never marks the presented one used',
    requirements: ['AUTH-007'],
    hooks: () => ({ domain: { rotateRefresh: ({ issueNext }) => issueNext() } }),
  },
  {
    name: 'refresh-reuse-keeps-session',
    description: 'a reused refresh token is refused, but its session (and the thief’s newer tokens) stay live',
    requirements: ['AUTH-008'],
    hooks: () => ({ domain: { onRefreshReuse: skip } }),
  },
  {
    name: 'refresh-never-expires',
    description: 'refresh tokens are issued without a real expiry (a hundred years)',
    requirements: ['AUTH-005'],
    hooks: () => ({ domain: { refreshExpiresAt: (issuedAt) => issuedAt + HUNDRED_YEARS_MS } }),
  },
  {
    name: 'alg-none-accepted',
    description: 'a token whose header says `alg: none` is accepted without a signature',
    requirements: ['ERR-006'],
    hooks: () => ({
      domain: {
        checkAccessToken: async (token, ways) => (algOf(token) === 'none' ? ways.decodeUnverified(token) : ways.verify(token)),
      },
    }),
  },
  {
    name: 'signature-not-checked',
    description: 'access tokens are decoded, not verified: any payload with a future exp is accepted',
    requirements: ['ERR-006'],
    hooks: () => ({ domain: { checkAccessToken: async (token, ways) => ways.decodeUnverified(token) } }),
  },
]
