import { describe, expect, it } from 'vitest'
import { resolveConfig } from './context.ts'
import { CONTRACT_SEMANTICS, resolveSemantics, SEMANTIC_OPTION_NAMES, SEMANTIC_OPTIONS, semanticValues } from './semantics.ts'
import { ISSUER } from './testing.ts'

describe('semantic options', () => {
  it('default to the contract: rotation, key and secret, the configured lifetime, policies', () => {
    expect(CONTRACT_SEMANTICS).toEqual({ refresh: 'rotate', key_secret: 'required', token_lifetime: 'ttl', permissions: 'policies' })
    expect(resolveSemantics()).toEqual(CONTRACT_SEMANTICS)
    expect(resolveConfig({ issuer: ISSUER, accessTokenTtl: 60, refreshTokenTtl: 60, rateLimits: [], features: [] }).semantics).toEqual(CONTRACT_SEMANTICS)
  })

  it.each(SEMANTIC_OPTION_NAMES)('%s: the default is the first value, and every value says what it means and where it was seen', (option) => {
    const values = semanticValues(option)
    expect(values[0]).toBe(CONTRACT_SEMANTICS[option])
    expect(values.length).toBeGreaterThan(1)
    for (const value of values) {
      const described = (SEMANTIC_OPTIONS[option].values as Record<string, { means: string; seen: string }>)[value]!
      expect(described.means.length).toBeGreaterThan(20)
      expect(described.seen.length).toBeGreaterThan(3)
    }
  })

  it('fill the options a profile leaves out with the contract\'s values', () => {
    expect(resolveSemantics({ refresh: 'none', key_secret: 'none' })).toEqual({ ...CONTRACT_SEMANTICS, refresh: 'none', key_secret: 'none' })
    expect(resolveSemantics({ permissions: undefined })).toEqual(CONTRACT_SEMANTICS)
  })

  it.each([
    [{ rotation: 'none' }, 'unknown semantic option "rotation" (known: refresh, key_secret, token_lifetime, permissions)'],
    [{ refresh: 'sometimes' }, 'semantic option refresh cannot be "sometimes" (allowed: rotate, access_only, none)'],
  ])('refuse %j with one line naming what is allowed', (partial, message) => {
    expect(() => resolveSemantics(partial)).toThrow(new RangeError(message))
  })
})
