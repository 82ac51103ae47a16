import { describe, expect, it } from 'vitest'
import type { DataRecord } from '../domain/contract.ts'
import { createMemoryStore } from './memory-store.ts'
import type { StoredRecord, StoredUser } from './store.ts'

const user = (id: string, email: string): StoredUser => ({
  id, email, emailKey: email.toLowerCase(), passwordHash: 'h', namespaces: [], active: true, createdAt: 0, updatedAt: 0,
})

const entry = (seq: number, id: string, extra: Record<string, unknown> = {}): StoredRecord => ({
  seq, record: Object.freeze({ id, owner: 'o', created_at: 't', updated_at: 't', ...extra }) as DataRecord,
})

describe('memory tables', () => {
  it('keep insertion order and answer secondary-index lookups', () => {
    const store = createMemoryStore()
    store.users.put(user('u1', 'a@x'))
    store.users.put(user('u2', 'b@x'))
    expect([...store.users.values()].map((u) => u.id)).toEqual(['u1', 'u2'])
    expect(store.users.lookup('email', 'b@x').map((u) => u.id)).toEqual(['u2'])
    expect(store.users.lookup('email', 'nobody')).toEqual([])
  })

  it('re-index an entity mutated in place and put again', () => {
    const store = createMemoryStore()
    const row = user('u1', 'a@x')
    store.users.put(row)
    row.emailKey = 'new@x'
    store.users.put(row)
    expect(store.users.lookup('email', 'a@x')).toEqual([])
    expect(store.users.lookup('email', 'new@x')).toEqual([row])
    store.users.delete('u1')
    expect(store.users.lookup('email', 'new@x')).toEqual([])
    expect(store.users.size).toBe(0)
  })

  it('count every change in their version, and nothing else', () => {
    const store = createMemoryStore()
    const versions = [store.users.version]
    store.users.put(user('u1', 'a@x'))
    versions.push(store.users.version)
    store.users.get('u1')
    store.users.lookup('email', 'a@x')
    versions.push(store.users.version)
    store.users.delete('u1')
    versions.push(store.users.version)
    store.users.clear()
    versions.push(store.users.version)
    expect(versions).toEqual([0, 1, 1, 2, 3])
  })

  it('index multi-valued keys (a policy under each of its subjects)', () => {
    const store = createMemoryStore()
    const policy = { id: 'p1', description: '', subjects: [{ type: 'user' as const, id: 'u' }, { type: 'namespace' as const, id: 'n' }], resources: [], actions: [], filters: [] }
    store.policies.put({ seq: 1, policy })
    expect(store.policies.lookup('subject', 'user:u')).toHaveLength(1)
    expect(store.policies.lookup('subject', 'namespace:n')).toHaveLength(1)
    store.policies.put({ seq: 1, policy: { ...policy, subjects: [{ type: 'user', id: 'v' }] } })
    expect(store.policies.lookup('subject', 'user:u')).toEqual([])
    expect(store.policies.lookup('subject', 'namespace:n')).toEqual([])
    expect(store.policies.lookup('subject', 'user:v')).toHaveLength(1)
  })
})

/** The ids a full scan visits. */
function scanned(store: ReturnType<typeof createMemoryStore>, dataset: string, afterSeq: number): string[] {
  const ids: string[] = []
  store.records.scan(dataset, afterSeq, (visited) => ids.push(visited.record.id) > 0)
  return ids
}

describe('memory records', () => {
  it('scan after a seq in creation order, replace in place, delete', () => {
    const store = createMemoryStore()
    for (const [seq, id] of [[2, 'a'], [5, 'b'], [9, 'c']] as const) store.records.insert('d', entry(seq, id))
    expect(scanned(store, 'd', 0)).toEqual(['a', 'b', 'c'])
    expect(scanned(store, 'd', 5)).toEqual(['c'])
    expect(scanned(store, 'd', 4)).toEqual(['b', 'c'])
    store.records.replace('d', entry(5, 'b', { v: 2 }))
    expect(store.records.get('d', 'b')?.record['v']).toBe(2)
    expect(store.records.delete('d', 'a')).toBe(true)
    expect(store.records.delete('d', 'a')).toBe(false)
    expect(scanned(store, 'd', 0)).toEqual(['b', 'c'])
    expect(store.records.size).toBe(2)
    expect(scanned(store, 'other', 0)).toEqual([])
  })

  it('a scan stops at the first record its visitor declines', () => {
    const store = createMemoryStore()
    for (const [seq, id] of [[1, 'a'], [2, 'b'], [3, 'c']] as const) store.records.insert('d', entry(seq, id))
    const visited: string[] = []
    store.records.scan('d', 0, (each) => {
      visited.push(each.record.id)
      return each.record.id !== 'b'
    })
    expect(visited).toEqual(['a', 'b'])
  })

  it('refuses out-of-order inserts and replacing what is not stored', () => {
    const store = createMemoryStore()
    store.records.insert('d', entry(5, 'a'))
    expect(() => store.records.insert('d', entry(5, 'b'))).toThrow(RangeError)
    expect(() => store.records.replace('d', entry(6, 'zz'))).toThrow(RangeError)
  })

  it('drops a dataset with its records', () => {
    const store = createMemoryStore()
    store.records.insert('d', entry(1, 'a'))
    store.records.insert('e', entry(2, 'b'))
    store.records.dropDataset('d')
    expect(store.records.size).toBe(1)
    expect(store.records.get('d', 'a')).toBeUndefined()
  })

  it("count each dataset's changes in its version, never repeating one, and nothing else", () => {
    const store = createMemoryStore()
    const seen = new Set<number>()
    /** The version after `change`: it must differ from every version `d` had before. */
    const changed = (change: () => unknown): void => {
      change()
      const version = store.records.version('d')
      expect(seen.has(version)).toBe(false)
      seen.add(version)
    }
    seen.add(store.records.version('d'))
    changed(() => store.records.insert('d', entry(1, 'a')))
    changed(() => store.records.insert('d', entry(2, 'b')))
    changed(() => store.records.replace('d', entry(1, 'a', { v: 2 })))
    changed(() => store.records.delete('d', 'b'))
    const unchanged = store.records.version('d')
    // Reads, a failed delete and other datasets leave it as it is.
    store.records.get('d', 'a')
    store.records.scan('d', 0, () => true)
    expect(store.records.delete('d', 'nothing')).toBe(false)
    store.records.insert('e', entry(3, 'c'))
    store.records.dropDataset('e')
    expect(store.records.version('d')).toBe(unchanged)
    // Dropped and re-created under the same name, cleared, restored: new versions each time.
    changed(() => store.records.dropDataset('d'))
    changed(() => store.records.insert('d', entry(4, 'a')))
    const snapshot = store.snapshot(['records'])
    changed(() => store.records.clear())
    changed(() => store.restore(snapshot, ['records']))
    changed(() => store.records.clear())
    expect(store.records.version('never-written')).toBe(store.records.version('d'))
  })
})

describe('snapshot and restore', () => {
  it('restores the named tables from a deep copy, any number of times, and never rewinds seq', () => {
    const store = createMemoryStore()
    store.users.put(user('u1', 'a@x'))
    store.records.insert('d', entry(store.nextSeq(), 'r1'))
    const snapshot = store.snapshot(['users', 'records'])
    store.users.get('u1')!.namespaces.push('changed')
    store.users.put(user('u2', 'b@x'))
    store.records.insert('d', entry(store.nextSeq(), 'r2'))
    const seqBefore = store.nextSeq()
    for (let i = 0; i < 2; i++) {
      store.restore(snapshot, ['users', 'records'])
      expect([...store.users.values()].map((u) => [u.id, u.namespaces])).toEqual([['u1', []]])
      expect(store.users.lookup('email', 'b@x')).toEqual([])
      expect(scanned(store, 'd', 0)).toEqual(['r1'])
      expect(Object.isFrozen(store.records.get('d', 'r1')!.record)).toBe(true)
      store.users.get('u1')!.namespaces.push('again')
    }
    expect(store.nextSeq()).toBeGreaterThan(seqBefore)
  })
})
