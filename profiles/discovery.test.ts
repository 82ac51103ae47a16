import { describe, expect, it } from 'vitest'
import { discoveryFromProfile } from './discovery.ts'
import { profileNamed } from './profile.ts'

describe('the discovery document made from a profile without one', () => {
  it('declares the asymmetric algorithms when the profile publishes a JWK Set, none otherwise', () => {
    const withJwks = discoveryFromProfile(profileNamed('dxtra'), 'http://127.0.0.1:1', false)
    expect(withJwks.signing_alg_values_supported).toEqual(expect.arrayContaining(['EdDSA', 'ES256', 'RS256', 'PS256']))
    expect(withJwks.signing_alg_values_supported).not.toContain('HS256')
    expect(discoveryFromProfile(profileNamed('machinable'), 'http://127.0.0.1:1', false).signing_alg_values_supported).toEqual([])
  })

  it('takes the lifetimes the profile states', () => {
    const discovery = discoveryFromProfile(profileNamed('machinable'), 'http://127.0.0.1:1', true)
    expect({ access: discovery.access_token_ttl, refresh: discovery.refresh_token_ttl }).toEqual({ access: 300, refresh: 259200 })
    expect(discovery.features).toContain('test_control')
  })
})
