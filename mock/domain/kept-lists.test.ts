import { describe, expect, it } from 'vitest'
import type { DataRecord, Policy, RecordPage } from './contract.ts'
import { createKeptLists, type ListQuery } from './kept-lists.ts'

const record = (id: string): DataRecord => Object.freeze({ id, owner: 'key_A', created_at: 't', updated_at: 't' }) as DataRecord
const policyOf = (filters: Policy['filters']): Policy =>
  Object.freeze({ id: 'pol_x', description: '', subjects: [], resources: ['orders'], actions: ['read'], filters: Object.freeze(filters) }) as unknown as Policy
const granting = (...policies: Policy[]): readonly Policy[] => Object.freeze(policies)

/** A kept-lists instance over a fake version table, counting how often a page is computed. */
function setUp(limits = { maxEntries: 100, maxItems: 1000 }, enabled = true) {
  const versions = new Map<string, number>()
  const kept = createKeptLists({ version: (dataset) => versions.get(dataset) ?? 0, enabled }, limits)
  let computed = 0
  const page = (query: Partial<ListQuery> & Pick<ListQuery, 'granted'>, items = 1): RecordPage =>
    kept.page({ dataset: 'orders', callerId: 'key_A', limit: 20, cursor: null, ...query }, () => {
      computed++
      return { items: Array.from({ length: items }, (_, index) => record(`rec_${index}`)), next_cursor: null }
    })
  return { kept, page, versions, computed: () => computed }
}

describe('kept lists', () => {
  it('answer a page computed once until the dataset version changes, frozen', () => {
    const { page, versions, computed } = setUp()
    const granted = granting(policyOf([]))
    const first = page({ granted })
    expect(page({ granted })).toBe(first)
    expect(Object.isFrozen(first) && Object.isFrozen(first.items)).toBe(true)
    expect(computed()).toBe(1)
    versions.set('other', 1)
    expect(page({ granted })).toBe(first)
    versions.set('orders', 1)
    expect(page({ granted })).not.toBe(first)
    expect(computed()).toBe(2)
  })

  it.each<[string, Partial<ListQuery>]>([
    ['another dataset', { dataset: 'invoices' }],
    ['another limit', { limit: 21 }],
    ['another cursor', { cursor: 'b3JkZXJzADE' }],
  ])('keep %s apart', (_name, change) => {
    const { page } = setUp()
    const granted = granting(policyOf([]))
    expect(page({ granted, ...change })).not.toBe(page({ granted }))
  })

  it('key by the granting list: another list object is another key, even with equal policies', () => {
    const { page } = setUp()
    const policy = policyOf([])
    expect(page({ granted: granting(policy) })).not.toBe(page({ granted: granting(policy) }))
  })

  it("key by the caller only where an owner filter reads it; an admin's list by nobody", () => {
    const { page } = setUp()
    const byOwner = granting(policyOf([{ owner: true }]))
    expect(page({ granted: byOwner, callerId: 'key_B' })).not.toBe(page({ granted: byOwner, callerId: 'key_A' }))
    const byField = granting(policyOf([{ field: 'status', op: 'eq', value: 'paid' }]))
    expect(page({ granted: byField, callerId: 'key_B' })).toBe(page({ granted: byField, callerId: 'key_A' }))
    expect(page({ granted: null, callerId: 'key_B' })).toBe(page({ granted: null, callerId: 'key_A' }))
  })

  it('compute afresh for a granting list that may still change, and when not enabled', () => {
    const open = setUp()
    const unfrozen = [policyOf([])]
    expect(open.page({ granted: unfrozen })).not.toBe(open.page({ granted: unfrozen }))
    const off = setUp(undefined, false)
    const granted = granting(policyOf([]))
    expect(off.page({ granted })).not.toBe(off.page({ granted }))
    expect(off.kept.size).toBe(0)
  })

  it('hold at most maxEntries pages, the oldest going first', () => {
    const { page, kept } = setUp({ maxEntries: 3, maxItems: 1000 })
    const granted = granting(policyOf([]))
    const pages = [1, 2, 3, 4].map((limit) => page({ granted, limit }))
    expect(kept.size).toBe(3)
    expect(page({ granted, limit: 4 })).toBe(pages[3])
    expect(page({ granted, limit: 2 })).toBe(pages[1])
    expect(page({ granted, limit: 1 })).not.toBe(pages[0])
  })

  it('hold at most maxItems records between the pages; a page larger than that is not kept', () => {
    const { page, kept } = setUp({ maxEntries: 100, maxItems: 10 })
    const granted = granting(policyOf([]))
    page({ granted, limit: 1 }, 4)
    page({ granted, limit: 2 }, 4)
    expect(kept.items).toBe(8)
    page({ granted, limit: 3 }, 4)
    expect([kept.size, kept.items]).toEqual([2, 8])
    const huge = page({ granted, limit: 4 }, 11)
    expect(page({ granted, limit: 4 }, 11)).not.toBe(huge)
    expect([kept.size, kept.items]).toEqual([2, 8])
  })

  it('forget a stale page when recomputing it (its records leave the count)', () => {
    const { page, kept, versions } = setUp()
    const granted = granting(policyOf([]))
    page({ granted }, 5)
    versions.set('orders', 7)
    page({ granted }, 2)
    expect([kept.size, kept.items]).toEqual([1, 2])
  })

  it('keep nothing when computing throws (a refusal is no answer)', () => {
    const kept = createKeptLists({ version: () => 0, enabled: true })
    const query: ListQuery = { dataset: 'orders', granted: granting(), callerId: 'key_A', limit: 20, cursor: 'bad' }
    expect(() =>
      kept.page(query, () => {
        throw new Error('refused')
      }),
    ).toThrow('refused')
    expect(kept.size).toBe(0)
  })

  it('peek at the kept page while it is current, and change nothing', () => {
    const { page, kept, versions, computed } = setUp()
    const granted = granting(policyOf([]))
    const query: ListQuery = { dataset: 'orders', granted, callerId: 'key_A', limit: 20, cursor: null }
    expect(kept.peek(query)).toBeUndefined()
    expect([kept.size, computed()]).toEqual([0, 0])
    const first = page({ granted }, 3)
    expect(kept.peek(query)).toBe(first)
    expect(kept.peek({ ...query, limit: 21 })).toBeUndefined()
    versions.set('orders', 1)
    expect(kept.peek(query)).toBeUndefined()
    // The stale page is still counted: only a recomputation forgets it.
    expect([kept.size, kept.items, computed()]).toEqual([1, 3, 1])
  })

  it('peek at nothing when not enabled, or for a granting list that may still change', () => {
    const disabled = setUp(undefined, false)
    const granted = granting(policyOf([]))
    disabled.page({ granted })
    expect(disabled.kept.peek({ dataset: 'orders', granted, callerId: 'key_A', limit: 20, cursor: null })).toBeUndefined()
    const open = setUp()
    const changing = [policyOf([])]
    open.page({ granted: changing })
    expect(open.kept.peek({ dataset: 'orders', granted: changing, callerId: 'key_A', limit: 20, cursor: null })).toBeUndefined()
  })
})
