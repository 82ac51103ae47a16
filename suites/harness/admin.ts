// The admin client: infrastructure, not the subject under test. It starts from the
// tokens of the verify command's up-front exchange; once the target says they are
// expired or revoked (a short access_token_ttl, a clock suite advanced time, a case ended
// the session) it opens a session of its own, renewed (refreshed) once half its access
// token's lifetime has passed, so cases never have to think about the admin's own session.
// Under a profile whose system has no token exchange, the admin key itself is the
// credential (ApiKey).
import { clientWith, type ApiResponse, type Client } from './client.ts'
import type { TokenResponse } from './contract-types.ts'
import { authorizationHeader } from './credentials.ts'
import { SetupError } from './errors.ts'
import { send } from './http.ts'
import { patiently } from './patience.ts'
import { renewingSession } from './renewing.ts'
import { targetConfig } from './target.ts'

/** This worker's own admin session, once the up-front tokens went stale. */
let session: (() => Promise<TokenResponse>) | undefined
/** A re-authentication under way: every request refused meanwhile waits for it instead of exchanging again. */
let reopening: Promise<unknown> | undefined

async function adminAuthorization(): Promise<string> {
  const { adminTokens, admin } = targetConfig()
  if (!adminTokens) return (await authorizationHeader({ apiKey: { id: admin.key, secret: admin.secret } }))!
  return `Bearer ${(session ? await session() : adminTokens).access_token}`
}

/** A fresh admin exchange. */
async function exchangeAdmin(): Promise<TokenResponse> {
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
  return response.body as TokenResponse
}

const STALE_TOKEN_CODES = new Set(['token_expired', 'token_revoked'])

async function reauthenticateOnStaleToken(response: ApiResponse<any>, sent: string | undefined): Promise<boolean> {
  const codes: string[] = response.problemCodes ?? [response.body?.code]
  if (response.status !== 401 || !codes.some((code) => STALE_TOKEN_CODES.has(code)) || !targetConfig().adminTokens) return false
  // Requests refused together (a burst in flight) open one session between them; one sent
  // with tokens already replaced just goes again.
  if (sent === (await adminAuthorization()) && !reopening) {
    const opened = renewingSession(exchangeAdmin)
    reopening = opened()
      .then(() => (session = opened))
      .finally(() => (reopening = undefined))
  }
  await reopening
  return true
}

export const adminClient: Client = clientWith(adminAuthorization, reauthenticateOnStaleToken)
