// The generator is judged by the same ajv the oracle uses: every "valid" draw for a request
// body must be accepted, and most "invalid" draws refused (some mutations happen to stay
// valid — the oracle asks ajv, so those are harmless, but a generator that rarely breaks
// anything would fuzz nothing).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzOperations } from './operations.ts'
import { invalidOf, schemaAccepts, validOf } from './schema-arbitrary.ts'

const BODIES = fuzzOperations.filter((operation) => operation.bodyPointer).map((operation) => [operation.operationId, operation] as const)

describe.each(BODIES)('%s request body', (_operationId, operation) => {
  it('valid draws are all accepted by the contract schema', () => {
    const samples = fc.sample(validOf(operation.bodySchema!), { seed: 7, numRuns: 60 })
    expect(samples.filter((value) => !schemaAccepts(operation.bodyPointer!, value))).toEqual([])
  })

  it('at least 80% of invalid draws are refused by the contract schema', () => {
    const samples = fc.sample(invalidOf(operation.bodySchema!), { seed: 7, numRuns: 60 })
    const refused = samples.filter((value) => !schemaAccepts(operation.bodyPointer!, value)).length
    expect(refused / samples.length).toBeGreaterThanOrEqual(0.8)
  })
})
