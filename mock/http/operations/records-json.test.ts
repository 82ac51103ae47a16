import { describe, expect, it } from 'vitest'
import type { DataRecord, RecordPage } from '../../domain/contract.ts'
import { recordJson, recordPageJson } from './records-json.ts'

const system = { owner: 'key_Owner', created_at: '2030-01-01T00:00:00.000Z', updated_at: '2030-01-01T00:00:00.000Z' }
const stored = (id: string, fields: Record<string, unknown>): DataRecord => Object.freeze({ id, ...system, ...fields }) as DataRecord

/** `__proto__` as an own field, as the domain stores it (a plain assignment would not). */
function withProtoField(): DataRecord {
  const record = { id: 'rec_proto', ...system }
  Object.defineProperty(record, '__proto__', { value: { x: 1 }, enumerable: true, writable: true, configurable: true })
  return Object.freeze(record) as DataRecord
}

describe('recordPageJson', () => {
  describe.each<[string, RecordPage]>([
    ['an empty last page', { items: [], next_cursor: null }],
    ['one record and a cursor', { items: [stored('rec_a', { total: 1.5 })], next_cursor: 'b3JkZXJzADc' }],
    [
      'records with every kind of JSON value',
      {
        items: [
          stored('rec_b', { n: null, yes: true, list: [1, 'two', { three: 3 }], nested: { deep: { deeper: [] } } }),
          stored('rec_c', { text: 'quote " backslash \\ newline \n tab \t' }),
          stored('rec_d', { text: 'é ✓ 😀 \u2028 \u0000', big: 1e21, small: -0.000001 }),
        ],
        next_cursor: null,
      },
    ],
    ['an own __proto__ field', { items: [withProtoField()], next_cursor: null }],
  ])('%s', (_name, page) => {
    it('is the text JSON.stringify gives, on the first and on later answers', () => {
      expect(recordPageJson(page)).toBe(JSON.stringify(page))
      expect(recordPageJson(page)).toBe(JSON.stringify(page))
    })
  })
})

describe('recordJson', () => {
  it('keeps no text for a record that is not frozen (it could still change)', () => {
    const record = { id: 'rec_open', ...system, total: 1 } as DataRecord
    expect(recordJson(record)).toBe(JSON.stringify(record))
    record['total'] = 2
    expect(recordJson(record)).toContain('"total":2')
  })
})
