/**
 * The instance's Ed25519 signing key: signs access tokens, publishes the public half as a
 * JWK, and verifies presented tokens (EdDSA only, our kid only, our issuer, exp, nbf).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { SignJWT, compactVerify, errors, exportJWK, jwtVerify, type JWTPayload, type JWSHeaderParameters } from 'jose'
import type { Clock } from '../clock.ts'
import type { Jwk } from './contract.ts'
import { InvalidTokenError, TokenExpiredError } from './errors.ts'
import { randomBase62 } from './secrets.ts'
import type { JsonWebKeyInput } from './types.ts'

export const SIGNING_ALG = 'EdDSA'

/** The claims of an access token this instance issued. */
export interface AccessClaims {
  iss: string
  sub: string
  sid: string
  iat: number
  exp: number
  jti: string
}

export interface SigningKey {
  readonly kid: string
  readonly publicJwk: Jwk
  sign(claims: AccessClaims): Promise<string>
  /** Full verification against the clock; TokenExpiredError after exp, InvalidTokenError otherwise. */
  verify(token: string): Promise<AccessClaims>
  /** Signature, alg, kid and issuer only — lifetime ignored (for revocation of expired tokens). */
  verifyIgnoringLifetime(token: string): Promise<AccessClaims>
}

function toClaims(payload: JWTPayload): AccessClaims {
  const { iss, sub, sid, iat, exp, jti } = payload as Partial<Record<keyof AccessClaims, unknown>>
  if (
    typeof iss !== 'string' || typeof sub !== 'string' || typeof sid !== 'string' || typeof jti !== 'string' ||
    typeof iat !== 'number' || typeof exp !== 'number'
  ) {
    throw new InvalidTokenError('The token lacks required claims.')
  }
  return { iss, sub, sid, iat, exp, jti }
}

export interface SigningKeyInput {
  privateJwk: JsonWebKeyInput
  kid: string
}

/** A new Ed25519 key with a fresh kid (what an instance signs with unless it is given one). */
export function generateSigningKey(): SigningKeyInput {
  const privateJwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as JsonWebKeyInput
  return { privateJwk, kid: `ed-${randomBase62(12)}` }
}

export function createSigningKey(clock: Clock, issuer: string, configured: SigningKeyInput = generateSigningKey()): SigningKey {
  if (configured.privateJwk.kty !== 'OKP' || configured.privateJwk.crv !== 'Ed25519') {
    throw new RangeError('the signing key must be an Ed25519 OKP private JWK')
  }
  const privateKey: KeyObject = createPrivateKey({ key: configured.privateJwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' })
  const publicKey = createPublicKey(privateKey)
  const { kid } = configured
  const x = publicKey.export({ format: 'jwk' }).x as string
  const publicJwk: Jwk = { kty: 'OKP', crv: 'Ed25519', x, kid, alg: SIGNING_ALG, use: 'sig' }

  /** Only our kid resolves; anything else (foreign key, missing kid) is not ours. */
  const resolveKey = (header: JWSHeaderParameters): KeyObject => {
    if (header.kid !== kid) throw new InvalidTokenError('The token was not signed by a published key.')
    return publicKey
  }

  const asDomainError = (error: unknown): Error => {
    if (error instanceof errors.JWTExpired) return new TokenExpiredError()
    if (error instanceof InvalidTokenError) return error
    return new InvalidTokenError()
  }

  return {
    kid,
    publicJwk,
    sign: (claims) => new SignJWT({ ...claims }).setProtectedHeader({ alg: SIGNING_ALG, kid, typ: 'JWT' }).sign(privateKey),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, resolveKey, {
          algorithms: [SIGNING_ALG],
          issuer,
          currentDate: new Date(clock.now()),
          requiredClaims: ['sub', 'sid', 'iat', 'exp', 'jti'],
        })
        return toClaims(payload)
      } catch (error) {
        throw asDomainError(error)
      }
    },
    async verifyIgnoringLifetime(token) {
      try {
        const { payload } = await compactVerify(token, resolveKey, { algorithms: [SIGNING_ALG] })
        const claims = toClaims(JSON.parse(new TextDecoder().decode(payload)) as JWTPayload)
        if (claims.iss !== issuer) throw new InvalidTokenError()
        return claims
      } catch (error) {
        throw asDomainError(error)
      }
    },
  }
}
