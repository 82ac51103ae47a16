import { describe, expect, it } from 'vitest'
import type { DataRecord, RecordPage } from '../../domain/contract.ts'
import { createPageBodies, recordJson, recordPageJson } from './records-json.ts'

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

describe('page bodies', () => {
  const page = (id: string, cursor: string | null = null): RecordPage => Object.freeze({ items: Object.freeze([stored(id, { total: 1 })]) as DataRecord[], next_cursor: cursor })

  it("are a kept page's JSON as bytes, made once; any other page answers its text, kept nowhere", () => {
    const bodies = createPageBodies()
    const kept = page('rec_kept', 'b3JkZXJzADc')
    const body = bodies.body(kept)
    expect(Buffer.isBuffer(body) && body.toString('utf8')).toBe(JSON.stringify(kept))
    expect(bodies.body(kept)).toBe(body)
    const open: RecordPage = { items: [stored('rec_open', {})], next_cursor: null }
    expect(bodies.body(open)).toBe(JSON.stringify(open))
    expect([bodies.entries, bodies.bytes]).toEqual([1, (body as Buffer).length])
  })

  it('hold at most maxEntries bodies and maxBytes bytes, the oldest going first; a larger body is not kept', () => {
    const size = Buffer.byteLength(JSON.stringify(page('rec_a')))
    const bodies = createPageBodies({ maxEntries: 3, maxBytes: size * 2 })
    const pages = ['rec_a', 'rec_b', 'rec_c'].map((id) => page(id))
    const first = pages.map((each) => bodies.body(each))
    expect([bodies.entries, bodies.bytes]).toEqual([2, size * 2])
    expect(bodies.body(pages[2]!)).toBe(first[2])
    expect(bodies.body(pages[0]!)).not.toBe(first[0])
    const large = page('rec_' + 'x'.repeat(size * 2))
    expect(bodies.body(large)).not.toBe(bodies.body(large))
    const counted = createPageBodies({ maxEntries: 1, maxBytes: 1e6 })
    for (const each of pages) counted.body(each)
    expect(counted.entries).toBe(1)
  })
})
