/** The public documents: discovery (what the suites hold the target to) and the JWKS. */
import type { Discovery, Jwks } from './contract.ts'
import type { Internals } from './context.ts'
import { KEY_ID_PATTERN } from './secrets.ts'
import { SIGNING_ALG } from './signing-key.ts'

export function createDiscovery({ config, seams, signingKey }: Internals) {
  return {
    discovery: (): Discovery => ({
      issuer: config.issuer,
      jwks_uri: seams.jwksUri(config.issuer),
      token_endpoint: `${config.issuer}/v1/auth/token`,
      access_token_ttl: config.accessTokenTtl,
      refresh_token_ttl: config.refreshTokenTtl,
      signing_alg_values_supported: [SIGNING_ALG],
      api_key_pattern: KEY_ID_PATTERN.source,
      rate_limits: config.rateLimits.map((rule) => ({ scope: rule.scope, per: rule.per, limit: rule.limit, window_seconds: rule.windowSeconds })),
      features: [...config.features],
    }),
    jwks: (): Jwks => ({ keys: [{ ...signingKey.publicJwk }] }),
  }
}
