/**
 * Authentication: API key exchange, user sign-in (with the brute-force limit checked before
 * the password), and resolving a presented credential to a live Principal.
 */
import type { Internals } from './context.ts'
import { InvalidCredentialsError, InvalidTokenError, TokenRevokedError } from './errors.ts'
import { hashPassword, verifyPassword } from './passwords.ts'
import { secretMatches, sha256Hex } from './secrets.ts'
import type { Sessions } from './sessions.ts'
import type { Tokens } from './tokens.ts'
import type { AccessClaims } from './signing-key.ts'
import type { Credential, MaybePromise, Principal, TokenGrant } from './types.ts'
import type { StoredKey } from '../store/store.ts'

/** Compared against when the key is unknown, so every failure costs the same. */
const UNKNOWN_KEY_HASH = '0'.repeat(64)

export function createAuth(internals: Internals, sessions: Sessions, tokens: Tokens) {
  const { clock, store, config, seams, limiter } = internals
  let dummyPasswordHash: Promise<string> | undefined

  /**
   * The live key a client presented, or undefined (the reasons are not told apart): its id and
   * a matching secret, or under key_secret none also the key string alone, found by its hash
   * (a wire format may still hand the domain the string split into id and secret).
   */
  function presentedKey(presented: string, secret: string | undefined): StoredKey | undefined {
    if (secret !== undefined) return liveKeyWithSecret(presented, secret)
    if (config.semantics.key_secret !== 'none') return undefined
    return liveKeyWithSecret(store.keys.lookup('secret', sha256Hex(presented))[0]?.id ?? '', presented)
  }

  /** A live key whose secret matches; undefined otherwise. */
  function liveKeyWithSecret(keyId: string, secret: string): StoredKey | undefined {
    const key = store.keys.get(keyId)
    const matches = seams.secretAccepted({
      keyId,
      secret,
      matches: () => secretMatches(secret, key?.secretHash ?? UNKNOWN_KEY_HASH),
    })
    if (key === undefined || !matches || (key.expiresAt !== null && seams.expired(key.expiresAt, clock.now()))) return undefined
    return key
  }

  function keyPrincipal(key: StoredKey | undefined, keyId: string, sessionId?: string): Principal {
    const principal: Principal = { subject: { type: 'api_key', id: keyId }, role: key?.role ?? 'client', namespaces: [] }
    if (sessionId !== undefined) principal.sessionId = sessionId
    return principal
  }

  /**
   * Signature from the cache when it was verified before; expiry, session and subject
   * liveness every time. A token seen before is answered at once, without a promise: that
   * is nearly every request, and a promise costs a microtask turn on each.
   */
  function bearerPrincipal(token: string): MaybePromise<Principal> {
    const cached = tokens.cachedAccess(token)
    if (cached !== undefined) return livePrincipal(cached, true)
    return tokens.verifyAccess(token).then((claims) => livePrincipal(claims, false))
  }

  function livePrincipal(claims: Readonly<AccessClaims>, cacheHit: boolean): Principal {
    const session = store.sessions.get(claims.sid)
    const subject = session?.subject
    const sessionLive = session !== undefined && session.endedAt === null && subject?.id === claims.sub
    const subjectLive = subject !== undefined && sessions.subjectLive(subject)
    if (subject === undefined || !seams.accessTokenLive({ sessionLive, subjectLive, cacheHit })) {
      throw new TokenRevokedError()
    }
    if (subject.type === 'api_key') return keyPrincipal(store.keys.get(subject.id), subject.id, claims.sid)
    const namespaces = seams.callerNamespaces({ sessionId: claims.sid, current: () => [...(store.users.get(subject.id)?.namespaces ?? [])] })
    return { subject: { ...subject }, role: 'user', namespaces, sessionId: claims.sid }
  }

  return {
    async exchangeApiKey({ apiKey, apiSecret, address }: { apiKey: string; apiSecret?: string; address: string }): Promise<TokenGrant> {
      // A key string presented alone is a secret: counted by its hash, never kept as it is.
      const credential = apiSecret === undefined ? sha256Hex(apiKey) : apiKey
      const rateLimit = await limiter.consume('token', { credential, address })
      const key = presentedKey(apiKey, apiSecret)
      if (key === undefined) throw new InvalidCredentialsError()
      return { tokens: await tokens.openSession({ type: 'api_key', id: key.id }), rateLimit }
    },

    async signIn({ email, password, address }: { email: string; password: string; address: string }): Promise<TokenGrant> {
      const account = email.toLowerCase()
      const rateLimit = await limiter.consume('signin', { credential: account, address })
      // Brute-force lock first: while it holds, even the right password is refused.
      await limiter.check('signin_failures', { account })
      const user = store.users.lookup('email', account)[0]
      dummyPasswordHash ??= hashPassword('not a password of anyone', config.passwordHashCost)
      const storedHash = user?.passwordHash ?? (await dummyPasswordHash)
      const passwordOk = await verifyPassword(password, storedHash)
      // Re-read after the await: the user may have been changed or removed meanwhile.
      const current = user === undefined ? undefined : store.users.get(user.id)
      if (current === undefined || !passwordOk || !seams.userActive(current) || current.passwordHash !== storedHash) {
        let counted: unknown
        seams.onSignInFailure({ countFailure: () => void (counted = limiter.consume('signin_failures', { account })) })
        // Counted before the answer: the next attempt, on any replica, must see this failure.
        await counted
        throw new InvalidCredentialsError()
      }
      return { tokens: await tokens.openSession({ type: 'user', id: current.id }), rateLimit }
    },

    /** The live principal, at once when nothing must be awaited; throws when refused. */
    authenticate(credential: Credential): MaybePromise<Principal> {
      if (credential.scheme === 'bearer') return bearerPrincipal(credential.token)
      if (!config.features.includes('apikey_scheme')) throw new InvalidTokenError('The ApiKey scheme is not supported.')
      const key = presentedKey(credential.keyId, credential.secret)
      if (key === undefined) throw new InvalidCredentialsError()
      return keyPrincipal(key, key.id)
    },
  }
}
