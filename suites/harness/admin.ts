// The admin client: infrastructure, not the subject under test. It starts from the
// tokens of the verify command's up-front exchange and exchanges again when the target
// says they are expired or revoked (a clock suite advanced time, a case ended the
// session), so cases never have to think about the admin's own session. Under a profile
// whose system has no token exchange, the admin key itself is the credential (ApiKey).
import { clientWith, type ApiResponse, type Client } from './client.ts'
import type { TokenResponse } from './contract-types.ts'
import { authorizationHeader } from './credentials.ts'
import { SetupError } from './errors.ts'
import { send } from './http.ts'
import { patiently } from './patience.ts'
import { targetConfig } from './target.ts'

let tokens: TokenResponse | undefined

async function adminAuthorization(): Promise<string> {
  const { adminTokens, admin } = targetConfig()
  tokens ??= adminTokens
  if (!tokens) return authorizationHeader({ apiKey: { id: admin.key, secret: admin.secret } })!
  return `Bearer ${tokens.access_token}`
}

/** A fresh admin exchange; also used by cleanup after a clock advance. */
export async function exchangeAdmin(): Promise<TokenResponse> {
  const { key, secret } = targetConfig().admin
  const response = await patiently(() =>
    send({
      method: 'POST',
      path: '/v1/auth/token',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ api_key: key, api_secret: secret }),
    }),
  )
  if (response.status !== 200) {
    throw new SetupError(`admin token exchange answered ${response.status}: ${response.text.slice(0, 200)}`)
  }
  tokens = response.body as TokenResponse
  return tokens
}

const STALE_TOKEN_CODES = new Set(['token_expired', 'token_revoked'])

async function reauthenticateOnStaleToken(response: ApiResponse<any>): Promise<boolean> {
  const codes: string[] = response.problemCodes ?? [response.body?.code]
  if (response.status !== 401 || !codes.some((code) => STALE_TOKEN_CODES.has(code)) || !targetConfig().adminTokens) return false
  await exchangeAdmin()
  return true
}

export const adminClient: Client = clientWith(adminAuthorization, reauthenticateOnStaleToken)
