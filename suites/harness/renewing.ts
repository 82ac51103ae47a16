// Tokens a suite holds for a caller that is set-up, not the subject under test (given.bearer).
// A file or a case may outlast a short access_token_ttl (a target configured with short
// TTLs, a loaded machine, a set-up step waiting out a rate limit): a case that merely held
// a token expired under it would fail for the wrong reason. Only for set-up tokens — a case
// that probes lifetimes, rotation or revocation holds the very token it obtained.
import { clientAs } from './client.ts'
import type { TokenResponse } from './contract-types.ts'
import { providedByState } from './provider-states.ts'

/**
 * `obtain`'s tokens, obtained again (given.bearer refreshes them) once half their lifetime
 * (expires_in) has passed; callers asking while a renewal is under way share it (a case
 * with requests in flight renews once). A lifetime the target does not state is never
 * renewed.
 */
export function renewing(obtain: () => Promise<TokenResponse>): () => Promise<TokenResponse> {
  let current: Promise<TokenResponse> | undefined
  let freshUntil = 0
  const renew = async (): Promise<TokenResponse> => {
    const asked = performance.now()
    try {
      const tokens = await obtain()
      freshUntil = asked + tokens.expires_in * 500
      return tokens
    } catch (error) {
      current = undefined // the next caller tries again; this one fails with the set-up's error
      throw error
    }
  }
  return () => {
    if (!current || performance.now() >= freshUntil) {
      freshUntil = Infinity // asked again while this renewal is under way: wait for it
      current = renew()
    }
    return current
  }
}

/**
 * A set-up session: opened by `open`, and once half-expired renewed by a refresh — the same
 * session, at no cost against the limits targets put on exchanges and sign-ins per
 * credential — or, when the refresh is refused (the session was ended, its refresh token
 * expired, the target has no refresh), by `open` again.
 */
export function renewingSession(open: () => Promise<TokenResponse>): () => Promise<TokenResponse> {
  let last: TokenResponse | undefined
  return renewing(async () => (last = (last && (await refreshed(last))) ?? (await open())))
}

/** The session's tokens refreshed, or undefined when the target has no refresh or refuses it. */
async function refreshed(tokens: TokenResponse): Promise<TokenResponse | undefined> {
  if (!tokens.refresh_token || providedByState('refreshToken')) return undefined
  const response = await clientAs('anonymous').post('/v1/auth/refresh', { refresh_token: tokens.refresh_token })
  return response.status === 200 ? (response.body as TokenResponse) : undefined
}
