// How a case says who it is. One shape per scheme of the contract's security schemes, and
// a session the harness keeps live (given.bearer) for callers that are set-up, not subject.
import type { TokenResponse } from './contract-types.ts'

/**
 * Bearer with the current access token of a set-up session: `tokens` hands out the
 * session's tokens, obtained again once half their lifetime has passed (renewing.ts).
 */
export interface SessionCredential {
  tokens(): Promise<TokenResponse>
}

export type Credential =
  | { bearer: string }
  | SessionCredential
  | { apiKey: { id: string; secret: string } }
  | { basic: { email: string; password: string } }
  | 'anonymous'

/** The Authorization header of `credential`, asked per request (a session credential may have renewed). */
export async function authorizationHeader(credential: Credential): Promise<string | undefined> {
  if (credential === 'anonymous') return undefined
  if ('bearer' in credential) return `Bearer ${credential.bearer}`
  if ('tokens' in credential) return `Bearer ${(await credential.tokens()).access_token}`
  if ('apiKey' in credential) return `ApiKey ${credential.apiKey.id}:${credential.apiKey.secret}`
  const { email, password } = credential.basic
  return `Basic ${Buffer.from(`${email}:${password}`, 'utf8').toString('base64')}`
}
