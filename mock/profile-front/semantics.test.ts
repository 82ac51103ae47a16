// The profile format's semantic options (profiles/format.ts, and the schema the types come
// from) are the domain's (mock/domain/semantics.ts), value for value, the default first.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SEMANTIC_OPTIONS as FORMAT_OPTIONS } from '../../profiles/format.ts'
import { SEMANTIC_OPTION_NAMES, semanticValues } from '../domain/semantics.ts'

const schema = JSON.parse(readFileSync(new URL('../../profiles/profile.schema.json', import.meta.url), 'utf8'))

describe('the semantic options of profiles and of the domain', () => {
  it('have the same names and values, the contract\'s first', () => {
    const domain = Object.fromEntries(SEMANTIC_OPTION_NAMES.map((option) => [option, semanticValues(option)]))
    expect(FORMAT_OPTIONS).toEqual(domain)
  })

  it('are what profile.schema.json admits, with the contract\'s value as default', () => {
    const properties = schema.$defs.semantics.properties as Record<string, { enum: string[]; default: string }>
    expect(Object.fromEntries(Object.entries(properties).map(([option, spec]) => [option, spec.enum]))).toEqual(FORMAT_OPTIONS)
    for (const [option, spec] of Object.entries(properties)) expect(spec.default, option).toBe(spec.enum[0])
  })
})
