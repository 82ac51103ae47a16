// The fault table alone: what it accepts, which requests it hands a fault to, and that the
// contract's list of faultable operations is exactly the table's.
import { describe, expect, it } from 'vitest'
import { contract } from '../../openapi/contract.ts'
import { InvalidRequestError } from '../domain/errors.ts'
import { routesFromContract } from '../http/openapi-routes.ts'
import { FaultTable, type FaultInput } from './fault-table.ts'

const routes = routesFromContract()
const alice = { type: 'user', id: 'usr_alice' } as const

/** Which of `count` requests of the operation (as `subject`) the table faults. */
function faulted(table: FaultTable, count: number, operationId = 'listKeys', subject: typeof alice | null = null): boolean[] {
  return Array.from({ length: count }, () => table.take(operationId, subject) !== undefined)
}

describe('FaultTable', () => {
  it('faults exactly the operations the contract lists in ControlFaultInput.operation', () => {
    const schema = contract.components.schemas.ControlFaultInput as { properties: { operation: { enum: string[] } } }
    const table = new FaultTable(routes)
    const named = schema.properties.operation.enum
    expect(named.filter((operationId) => !table.faultable(operationId))).toEqual([])
    expect(routes.filter((route) => table.faultable(route.operationId)).map((route) => route.operationId).sort()).toEqual([...named].sort())
  })

  it('is armed only while a fault is in force', () => {
    const table = new FaultTable(routes)
    expect(table.armed).toBe(false)
    const fault = table.add({ operation: 'listKeys', status: 401 })
    expect(table.armed).toBe(true)
    table.remove(fault.id)
    expect(table.armed).toBe(false)
    table.add({ operation: 'listKeys', status: 401, times: 1 })
    expect(faulted(table, 2)).toEqual([true, false])
    expect(table.armed).toBe(false)
  })

  it.each([
    [1, 4, [true, true, true, true]],
    [0.5, 6, [true, false, true, false, true, false]],
    [2 / 3, 6, [true, true, false, true, true, false]],
    [0.1, 11, [true, ...Array<boolean>(9).fill(false), true]],
  ])('fraction %s faults ceil(k × fraction) of the first k, from the first', (fraction, count, expected) => {
    const table = new FaultTable(routes)
    table.add({ operation: 'listKeys', delay_ms: 1, fraction })
    expect(faulted(table, count)).toEqual(expected)
  })

  it('counts exactly over a long run whose products are not exact in binary (0.57 × 100)', () => {
    const table = new FaultTable(routes)
    table.add({ operation: 'listKeys', delay_ms: 1, fraction: 0.57 })
    expect(faulted(table, 100).filter(Boolean)).toHaveLength(57)
    expect(faulted(table, 900).filter(Boolean)).toHaveLength(513)
  })

  it('matches its operation and subject only, counting only what it matched', () => {
    const table = new FaultTable(routes)
    table.add({ operation: 'listRecords', subject: alice, status: 429 })
    expect(table.take('listKeys', alice)).toBeUndefined()
    expect(table.take('listRecords', { type: 'user', id: 'usr_bob' })).toBeUndefined()
    expect(table.take('listRecords', null)).toBeUndefined()
    expect(table.take('listRecords', alice)).toMatchObject({ effect: 'error', status: 429, code: 'rate_limited', retryAfterSeconds: 1 })
    expect(table.list()[0]).toMatchObject({ matched: 1, injected: 1 })
  })

  it.each<[string, FaultInput]>([
    ['error', { operation: 'listKeys', status: 403, delay_ms: 5 }],
    ['drop', { operation: 'listKeys', drop: true }],
    ['delay', { operation: 'listKeys', delay_ms: 5 }],
  ])('hands out the %s effect with the documented headers of its status', (effect, input) => {
    const table = new FaultTable(routes)
    table.add(input)
    expect(table.take('listKeys', null)).toMatchObject({ effect, ...(input.delay_ms && { delayMs: input.delay_ms }) })
  })

  it('refuses an operation outside the table, as a field error', () => {
    const table = new FaultTable(routes)
    const refused = () => table.add({ operation: 'resetControlState' as FaultInput['operation'], delay_ms: 1 })
    expect(refused).toThrow(InvalidRequestError)
    expect(refused).toThrow(/body field \/operation 'resetControlState' is not an operation of the contract that can be faulted/)
  })
})
