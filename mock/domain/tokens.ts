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
import type { IssuedTokens } from './types.ts'

export type Tokens = ReturnType<typeof createTokens>

const REFRESH_PREFIX = 'rt_'

export function createTokens(internals: Internals, sessions: Sessions) {
  const { clock, store, config, seams, signingKey, tokenCache } = internals

  /**
   * The refresh token of a token response issued in second `iat` (its access token's iat):
   * it expires at iat + refresh_expires_in, a whole second a client can compute (AUTH-005).
   */
  function issueRefresh(session: StoredSession, keyExpiresAt: number | null, iat: number): StoredRefreshToken & { token: string } {
    const issuedAt = iat * 1000
    const token = newRefreshToken()
    const entry: StoredRefreshToken = {
      hash: sha256Hex(token),
      sessionId: session.id,
      issuedAt,
      expiresAt: seams.capByKeyExpiry(seams.refreshExpiresAt(issuedAt, config.refreshTokenTtl), keyExpiresAt),
      usedAt: null,
    }
    store.refreshTokens.put(entry)
    session.refreshExpiresAt = entry.expiresAt
    store.sessions.put(session)
    return { ...entry, token }
  }

  async function issueAccess(session: StoredSession, keyExpiresAt: number | null, iat: number): Promise<{ token: string; expiresIn: number }> {
    // token_lifetime key_expiry: a key's token lives until the key does (its expiry was chosen at creation).
    const end = keyExpiresAt !== null && config.semantics.token_lifetime === 'key_expiry' ? keyExpiresAt : (iat + seams.accessTokenTtl(config.accessTokenTtl)) * 1000
    const exp = Math.floor(seams.capByKeyExpiry(end, keyExpiresAt) / 1000)
    const claims: AccessClaims = { iss: config.issuer, sub: session.subject.id, sid: session.id, iat, exp, jti: randomBase62(22) }
    const token = await signingKey.sign(claims)
    tokenCache.set(token, claims)
    session.accessExpiresAt = Math.max(session.accessExpiresAt, exp * 1000)
    store.sessions.put(session)
    return { token, expiresIn: seams.expiresIn({ iat, exp, configuredSeconds: config.accessTokenTtl }) }
  }

  function accessResponse(session: StoredSession, access: { token: string; expiresIn: number }): IssuedTokens {
    return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, session_id: session.id }
  }

  /** With the refresh token answered and the seconds it has left from `from` (the second of the access token's iat). */
  function response(session: StoredSession, access: { token: string; expiresIn: number }, refresh: { token: string; entry: StoredRefreshToken | undefined; from: number }): TokenResponse {
    const expiresAt = refresh.entry?.expiresAt ?? refresh.from
    return {
      ...accessResponse(session, access),
      refresh_token: refresh.token,
      refresh_expires_in: Math.max(0, Math.floor((expiresAt - refresh.from) / 1000)),
    }
  }

  /** A newly issued refresh token, measured from its own issue (its access token's iat), not from now (AUTH-005). */
  function issued(token: string) {
    const entry = store.refreshTokens.get(sha256Hex(token))
    return { token, entry, from: entry?.issuedAt ?? clock.now() }
  }

  /** Claims decoded WITHOUT checking the signature — offered only to a seam replacement; exp still holds. */
  function decodeUnverified(token: string): AccessClaims {
    try {
      decodeProtectedHeader(token)
      const claims = decodeJwt(token) as unknown as AccessClaims
      if (typeof claims.exp !== 'number' || typeof claims.sid !== 'string' || typeof claims.sub !== 'string') throw new Error('claims')
      if (seams.expired(claims.exp * 1000, clock.now())) throw new TokenExpiredError()
      return claims
    } catch (error) {
      throw error instanceof TokenExpiredError ? error : new InvalidTokenError()
    }
  }

  return {
    /** Opens a session for a subject and issues its first tokens (no refresh token under refresh none). */
    async openSession(subject: StoredSession['subject']): Promise<IssuedTokens> {
      const session = sessions.open(subject)
      const keyExpiresAt = sessions.keyExpiry(subject)
      const iat = clock.nowSeconds()
      if (config.semantics.refresh === 'none') return accessResponse(session, await issueAccess(session, keyExpiresAt, iat))
      const refresh = issueRefresh(session, keyExpiresAt, iat)
      return response(session, await issueAccess(session, keyExpiresAt, iat), issued(refresh.token))
    },

    /**
     * The claims of an access token whose signature was verified before, if it has not
     * expired (TokenExpiredError if it has); undefined when the cache does not know it.
     * Synchronous and not copied: the hot path of every authenticated request.
     */
    cachedAccess(token: string): Readonly<AccessClaims> | undefined {
      const cached = tokenCache.get(token)
      if (cached !== undefined && seams.expired(cached.exp * 1000, clock.now())) throw new TokenExpiredError()
      return cached
    },

    /** A genuine, unexpired access token's claims, verified (signature, alg, kid, iss, exp), then cached. */
    async verifyAccess(token: string): Promise<Readonly<AccessClaims>> {
      const claims = await seams.checkAccessToken(token, { verify: signingKey.verify, decodeUnverified })
      tokenCache.set(token, claims)
      return claims
    },

    /**
     * Rotation: a new pair in the same session; reuse of a dead token ends the session. Under
     * refresh access_only a new access token only, the presented refresh token staying valid;
     * under refresh none there are no refresh tokens to present.
     */
    async refresh(refreshToken: string): Promise<TokenResponse> {
      if (config.semantics.refresh === 'none') throw new InvalidTokenError('No refresh tokens are issued: exchange the key or sign in again.')
      const entry = refreshToken.startsWith(REFRESH_PREFIX) ? store.refreshTokens.get(sha256Hex(refreshToken)) : undefined
      if (entry === undefined) throw new InvalidTokenError('Unknown refresh token.')
      const session = store.sessions.get(entry.sessionId)
      if (session === undefined || session.endedAt !== null) throw new TokenRevokedError('The session has ended.')
      if (entry.usedAt !== null) {
        seams.onRefreshReuse({ endSession: () => sessions.end(session) })
        throw new TokenRevokedError('The refresh token was already used; the session is revoked.')
      }
      if (seams.expired(entry.expiresAt, clock.now())) throw new TokenExpiredError('The refresh token has expired.')
      if (!sessions.subjectLive(session.subject)) {
        sessions.end(session)
        throw new TokenRevokedError('The key or user of this session is no longer active.')
      }
      const keyExpiresAt = sessions.keyExpiry(session.subject)
      const iat = clock.nowSeconds()
      if (config.semantics.refresh === 'access_only') {
        return response(session, await issueAccess(session, keyExpiresAt, iat), { token: refreshToken, entry, from: iat * 1000 })
      }
      const next = seams.rotateRefresh({
        presented: refreshToken,
        markUsed: () => {
          entry.usedAt = clock.now()
          store.refreshTokens.put(entry)
        },
        issueNext: () => issueRefresh(session, keyExpiresAt, iat).token,
      })
      return response(session, await issueAccess(session, keyExpiresAt, iat), issued(next))
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
