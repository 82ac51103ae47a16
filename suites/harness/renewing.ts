// Tokens a suite file holds across its cases. A file may outlast a short access_token_ttl
// (a target configured with short TTLs, a loaded machine): a case that merely inherited a
// token expired under it would fail for the wrong reason. Only for set-up tokens — a case
// that probes lifetimes or revocation holds its own.
import type { TokenResponse } from './contract-types.ts'

/** `obtain`'s tokens, obtained again once half their lifetime (expires_in) has passed. */
export function renewing(obtain: () => Promise<TokenResponse>): () => Promise<TokenResponse> {
  let tokens: TokenResponse | undefined
  let freshUntil = 0
  return async () => {
    if (!tokens || performance.now() >= freshUntil) {
      const asked = performance.now()
      tokens = await obtain()
      freshUntil = asked + tokens.expires_in * 500
    }
    return tokens
  }
}
