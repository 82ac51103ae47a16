import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { requirements } from '../openapi/contract.ts'
import { PROFILE_FACTS, unmetAssumptions, unmetBy } from './applicability.ts'
import { profileNamed } from './profile.ts'

const catalogueSchema = JSON.parse(readFileSync(new URL('../openapi/requirements.schema.json', import.meta.url), 'utf8'))

describe('requirement assumptions', () => {
  it('name the facts of profiles/applicability.ts with their values, as requirements.schema.json enumerates them', () => {
    const assumes = catalogueSchema.$defs.requirement.properties.assumes.properties
    expect(Object.fromEntries(Object.entries(assumes).map(([fact, schema]: [string, any]) => [fact, schema.items.enum]))).toEqual(PROFILE_FACTS)
  })

  it('hold for every requirement under the identity profile', () => {
    expect(unmetAssumptions(profileNamed('authconform'), requirements)).toEqual({})
  })

  it('make rotation and policy requirements not applicable under machinable, saying why', () => {
    const unmet = unmetAssumptions(profileNamed('machinable'), requirements)
    expect(unmet['AUTH-006']).toBe('assumes refresh rotate; profile machinable has refresh access_only')
    expect(unmet['AUTH-012']).toBeUndefined()
    expect(unmet['PERM-001']).toBe('assumes permissions policies; profile machinable has permissions roles')
    expect(unmet['AUTH-003']).toBe('assumes access_claims contract; profile machinable has access_claims own')
    expect(unmet['ERR-005']).toBeUndefined()
  })

  it("say why a case's own assumption is unmet, and nothing when it is met", () => {
    expect(unmetBy(profileNamed('machinable'), { rate_limits: ['declared'] })).toBe('assumes rate_limits declared; profile machinable has rate_limits none')
    expect(unmetBy(profileNamed('machinable'), { refresh: ['rotate', 'access_only'] })).toBeUndefined()
    expect(unmetBy(profileNamed('authconform'), { rate_limits: ['declared'], token_lifetimes: ['answered'] })).toBeUndefined()
    expect(unmetBy(profileNamed('jexia'), { token_lifetimes: ['answered'] })).toBe('assumes token_lifetimes answered; profile jexia has token_lifetimes not_answered')
  })
})
