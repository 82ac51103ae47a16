// Reads the credential of a protected request from its Authorization header. Only the
// syntax is checked here; whether the token or key is genuine and live is the domain's call.
import { InvalidTokenError } from '../domain/errors.ts'
import type { Credential } from '../domain/types.ts'

/** The form nearly every request has: read without trimming and splitting it. */
const PLAIN_BEARER = /^[Bb]earer \S+$/

export function credentialFrom(authorization: string | undefined): Credential {
  if (authorization !== undefined && PLAIN_BEARER.test(authorization)) return { scheme: 'bearer', token: authorization.slice('Bearer '.length) }
  if (authorization === undefined || authorization.trim() === '') {
    throw new InvalidTokenError('The request carries no credentials: send Authorization: Bearer <access token>.')
  }
  const [scheme = '', ...rest] = authorization.trim().split(/\s+/)
  const value = rest.join(' ')
  // Auth schemes are case-insensitive (RFC 9110 §11.1).
  switch (scheme.toLowerCase()) {
    case 'bearer':
      if (value === '' || rest.length !== 1) throw new InvalidTokenError('The Bearer credential is malformed.')
      return { scheme: 'bearer', token: value }
    case 'apikey': {
      const colon = value.indexOf(':')
      if (rest.length !== 1 || colon <= 0) throw new InvalidTokenError('The ApiKey credential must be <key_id>:<secret>.')
      return { scheme: 'apikey', keyId: value.slice(0, colon), secret: value.slice(colon + 1) }
    }
    default:
      throw new InvalidTokenError('The authentication scheme is not supported; use Bearer.')
  }
}
