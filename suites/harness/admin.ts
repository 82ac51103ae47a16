// The admin client: infrastructure, not the subject under test. It starts from the
// tokens of the verify command's up-front exchange and exchanges again when the target
// says they are expired or revoked (a clock suite advanced time, a case ended the
// session), so cases never have to think about the admin's own session.
import { clientWith, type ApiResponse, type Client } from './client.ts'
import type { TokenResponse } from './contract-types.ts'
import { SetupError } from './errors.ts'
import { send } from './http.ts'
import { patiently } from './patience.ts'
import { targetConfig } from './target.ts'

let tokens: TokenResponse | undefined

async function accessToken(): Promise<string> {
  tokens ??= targetConfig().adminTokens
  return tokens.access_token
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
  if (response.status !== 401 || !STALE_TOKEN_CODES.has(response.body?.code)) return false
  await exchangeAdmin()
  return true
}

export const adminClient: Client = clientWith(async () => `Bearer ${await accessToken()}`, reauthenticateOnStaleToken)
