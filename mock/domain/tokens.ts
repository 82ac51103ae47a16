/**
 * Access and refresh tokens: issuing a session's token pair, verifying access tokens
 * (signature once per instance via the cache; expiry on every request, liveness in auth.ts),
 * refresh rotation with reuse detection, and RFC 7009 revocation.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose'
import type { StoredRefreshToken, StoredSession } from '../store/store.ts'
import type { TokenResponse } from './contract.ts'
import type { Internals } from './context.ts'
import { InvalidTokenError, TokenExpiredError, TokenRevokedError } from './errors.ts'
import { newRefreshToken, randomBase62, sha256Hex } from './secrets.ts'
import type { Sessions } from './sessions.ts'
import type { AccessClaims } from './signing-key.ts'

export type Tokens = ReturnType<typeof createTokens>

const REFRESH_PREFIX = 'rt_'

export function createTokens(internals: Internals, sessions: Sessions) {
  const { clock, store, config, seams, signingKey, tokenCache } = internals

  function issueRefresh(session: StoredSession, keyExpiresAt: number | null): StoredRefreshToken & { token: string } {
    const now = clock.now()
    const token = newRefreshToken()
    const entry: StoredRefreshToken = {
      hash: sha256Hex(token),
      sessionId: session.id,
      issuedAt: now,
      expiresAt: seams.capByKeyExpiry(seams.refreshExpiresAt(now, config.refreshTokenTtl), keyExpiresAt),
      usedAt: null,
    }
    store.refreshTokens.put(entry)
    session.refreshExpiresAt = entry.expiresAt
    store.sessions.put(session)
    return { ...entry, token }
  }

  async function issueAccess(session: StoredSession, keyExpiresAt: number | null): Promise<{ token: string; expiresIn: number }> {
    const iat = clock.nowSeconds()
    const exp = Math.floor(seams.capByKeyExpiry((iat + seams.accessTokenTtl(config.accessTokenTtl)) * 1000, keyExpiresAt) / 1000)
    const claims: AccessClaims = { iss: config.issuer, sub: session.subject.id, sid: session.id, iat, exp, jti: randomBase62(22) }
    const token = await signingKey.sign(claims)
    tokenCache.set(token, claims)
    session.accessExpiresAt = Math.max(session.accessExpiresAt, exp * 1000)
    store.sessions.put(session)
    return { token, expiresIn: seams.expiresIn({ iat, exp, configuredSeconds: config.accessTokenTtl }) }
  }

  function response(session: StoredSession, access: { token: string; expiresIn: number }, refreshToken: string): TokenResponse {
    const entry = store.refreshTokens.get(sha256Hex(refreshToken))
    // Measured from the token's own issue: signing the access token in between may take a
    // millisecond, and `clock.now()` here would then answer TTL − 1 (AUTH-005).
    const refreshExpiresIn = entry === undefined ? 0 : Math.max(0, Math.floor((entry.expiresAt - entry.issuedAt) / 1000))
    return {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
      refresh_token: refreshToken,
      refresh_expires_in: refreshExpiresIn,
      session_id: session.id,
    }
  }

  /** Claims decoded WITHOUT checking the signature — offered only to a seam replacement; exp still holds. */
  function decodeUnverified(token: string): AccessClaims {
    try {
      decodeProtectedHeader(token)
      const claims = decodeJwt(token) as unknown as AccessClaims
      if (typeof claims.exp !== 'number' || typeof claims.sid !== 'string' || typeof claims.sub !== 'string') throw new Error('claims')
      if (claims.exp <= clock.nowSeconds()) throw new TokenExpiredError()
      return claims
    } catch (error) {
      throw error instanceof TokenExpiredError ? error : new InvalidTokenError()
    }
  }

  return {
    /** Opens a session for a subject and issues its first token pair. */
    async openSession(subject: StoredSession['subject']): Promise<TokenResponse> {
      const session = sessions.open(subject)
      const keyExpiresAt = sessions.keyExpiry(subject)
      const refresh = issueRefresh(session, keyExpiresAt)
      return response(session, await issueAccess(session, keyExpiresAt), refresh.token)
    },

    /**
     * The claims of an access token whose signature was verified before, if it has not
     * expired (TokenExpiredError if it has); undefined when the cache does not know it.
     * Synchronous and not copied: the hot path of every authenticated request.
     */
    cachedAccess(token: string): Readonly<AccessClaims> | undefined {
      const cached = tokenCache.get(token)
      if (cached !== undefined && cached.exp <= clock.nowSeconds()) throw new TokenExpiredError()
      return cached
    },

    /** A genuine, unexpired access token's claims, verified (signature, alg, kid, iss, exp), then cached. */
    async verifyAccess(token: string): Promise<Readonly<AccessClaims>> {
      const claims = await seams.checkAccessToken(token, { verify: signingKey.verify, decodeUnverified })
      tokenCache.set(token, claims)
      return claims
    },

    /** Rotation: a new pair in the same session. Reuse of a dead token ends the session. */
    async refresh(refreshToken: string): Promise<TokenResponse> {
      const entry = refreshToken.startsWith(REFRESH_PREFIX) ? store.refreshTokens.get(sha256Hex(refreshToken)) : undefined
      if (entry === undefined) throw new InvalidTokenError('Unknown refresh token.')
      const session = store.sessions.get(entry.sessionId)
      if (session === undefined || session.endedAt !== null) throw new TokenRevokedError('The session has ended.')
      if (entry.usedAt !== null) {
        seams.onRefreshReuse({ endSession: () => sessions.end(session) })
        throw new TokenRevokedError('The refresh token was already used; the session is revoked.')
      }
      if (clock.now() >= entry.expiresAt) throw new TokenExpiredError('The refresh token has expired.')
      if (!sessions.subjectLive(session.subject)) {
        sessions.end(session)
        throw new TokenRevokedError('The key or user of this session is no longer active.')
      }
      const keyExpiresAt = sessions.keyExpiry(session.subject)
      const next = seams.rotateRefresh({
        presented: refreshToken,
        markUsed: () => {
          entry.usedAt = clock.now()
          store.refreshTokens.put(entry)
        },
        issueNext: () => issueRefresh(session, keyExpiresAt).token,
      })
      return response(session, await issueAccess(session, keyExpiresAt), next)
    },

    /** Ends the session of a genuine access or refresh token; anything else is ignored. */
    async revoke(token: string): Promise<void> {
      let sessionId: string | undefined
      if (token.startsWith(REFRESH_PREFIX)) {
        sessionId = store.refreshTokens.get(sha256Hex(token))?.sessionId
      } else {
        sessionId = await signingKey.verifyIgnoringLifetime(token).then(
          (claims) => claims.sid,
          () => undefined,
        )
      }
      const session = sessionId === undefined ? undefined : store.sessions.get(sessionId)
      if (session !== undefined) sessions.end(session)
    },
  }
}
