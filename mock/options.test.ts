import { describe, expect, it } from 'vitest'
import { DEFAULT_RATE_LIMITS } from './domain/defaults.ts'
import { EMBEDDED_VERIFY_OPTIONS, resolveOptions } from './options.ts'

const limitOf = (rules: { scope: string; per: string; limit: number }[], scope: string, per: string) =>
  rules.find((rule) => rule.scope === scope && rule.per === per)?.limit

describe('rate-limit overrides', () => {
  it('an override without `per` sets every entry of its scope', () => {
    const { rateLimits } = resolveOptions({ rateLimits: [{ scope: 'token', limit: 5, windowSeconds: 10 }] })
    expect(rateLimits.filter((rule) => rule.scope === 'token')).toEqual([
      { scope: 'token', per: 'credential', limit: 5, windowSeconds: 10 },
      { scope: 'token', per: 'address', limit: 5, windowSeconds: 10 },
    ])
  })

  it('an override with `per` sets only that entry of its scope', () => {
    const { rateLimits } = resolveOptions({ rateLimits: [{ scope: 'token', per: 'address', limit: 50, windowSeconds: 60 }] })
    expect(limitOf(rateLimits, 'token', 'address')).toBe(50)
    expect(limitOf(rateLimits, 'token', 'credential')).toBe(limitOf([...DEFAULT_RATE_LIMITS], 'token', 'credential'))
  })

  it('the last override of an entry wins', () => {
    const { rateLimits } = resolveOptions({
      rateLimits: [
        { scope: 'signin', per: 'address', limit: 50, windowSeconds: 60 },
        { scope: 'signin', limit: 7, windowSeconds: 60 },
      ],
    })
    expect(limitOf(rateLimits, 'signin', 'address')).toBe(7)
  })
})

describe('the embedded mock of authconform verify', () => {
  const resolved = resolveOptions(EMBEDDED_VERIFY_OPTIONS)

  it('hashes passwords with a cheaper scrypt cost than the default', () => {
    expect(resolved.passwordHashCost).toBe(1024)
    expect(resolveOptions().passwordHashCost).toBeUndefined()
  })

  it('declares smaller per-address and per-subject limits and keeps every other entry', () => {
    expect(resolved.rateLimits.map(({ scope, per, limit }) => `${scope}/${per}=${limit}`)).toEqual([
      'token/credential=30',
      'token/address=300',
      'signin/credential=30',
      'signin/address=150',
      'signin_failures/account=5',
      'data/subject=400',
    ])
  })
})
