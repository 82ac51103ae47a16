// The discovery document verify works from when the target has none (the profile leaves
// getAuthConfiguration unmapped): the profile's documented facts — lifetimes, rate limits,
// the credential schemes it accepts — and whether the control extension answered.
import type { components } from '../openapi/generated/schema.d.ts'
import type { Profile } from './profile.ts'

type Discovery = components['schemas']['Discovery']
type Feature = components['schemas']['Feature']

/** The asymmetric JWS algorithms (RFC 7518 §3.1, RFC 8037 §3.1). */
const ASYMMETRIC_ALGORITHMS = ['EdDSA', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const

export function discoveryFromProfile(profile: Profile, baseUrl: string, control: boolean): Discovery {
  const { tokens, auth, rate_limits: rateLimits = [] } = profile.document
  const access = tokens?.access?.lifetime ?? 0
  const features: Feature[] = [
    ...(!auth || auth.api_key ? (['apikey_scheme'] as const) : []),
    ...(!auth || auth.basic ? (['basic_signin'] as const) : []),
    ...(control ? (['test_control'] as const) : []),
  ]
  return {
    issuer: baseUrl,
    // The contract's paths: a case that follows them is translated (or not applicable) like any other request.
    jwks_uri: new URL('/.well-known/jwks.json', baseUrl).href,
    token_endpoint: new URL('/v1/auth/token', baseUrl).href,
    access_token_ttl: access,
    // A system without refresh tokens: its sessions live as long as their access token.
    refresh_token_ttl: tokens?.refresh?.lifetime ?? access,
    // Nothing declares the algorithms: a published JWK Set may use any asymmetric one
    // DISC-002 admits; without one there are none to verify with.
    signing_alg_values_supported: tokens?.access?.jwks ? [...ASYMMETRIC_ALGORITHMS] : [],
    api_key_pattern: '^key_[A-Za-z0-9]{16,}$',
    rate_limits: rateLimits,
    features,
  }
}
