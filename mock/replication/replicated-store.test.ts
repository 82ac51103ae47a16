// The replicated store without Redis: what a change writes must come back out of its undo
// exactly (rows, their order, records, the fixture snapshot), and its log entry, applied
// by another replica, must give that replica exactly the committer's tables.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { DataRecord } from '../domain/contract.ts'
import type { StoredKey, StoredSession } from '../store/store.ts'
import { KEYED_TABLES } from '../store/table-specs.ts'
import { ReplicatedStore } from './replicated-store.ts'
import { item, Transaction, type Entry, type WriterSlot } from './transaction.ts'

const DATASETS = ['d1', 'd2'] as const

function replica(): { store: ReplicatedStore; slot: WriterSlot } {
  const slot: WriterSlot = { writer: null }
  return { store: new ReplicatedStore(slot), slot }
}

/** Runs `change` as a transaction of `store`; returns the transaction, still undoable. */
function inChange({ store, slot }: { store: ReplicatedStore; slot: WriterSlot }, change: (store: ReplicatedStore) => void): Transaction {
  const txn = new Transaction(0, new Map())
  slot.writer = txn
  try {
    change(store)
  } finally {
    slot.writer = null
  }
  return txn
}

function applied(store: ReplicatedStore, entry: Entry): void {
  for (const op of JSON.parse(JSON.stringify(entry.o)) as Entry['o']) store.apply(op)
}

/** Everything a replica answers from: every table in its order, every dataset's records. */
function contents(store: ReplicatedStore): unknown {
  const records = DATASETS.map((dataset) => {
    const entries: unknown[] = []
    store.records.scan(dataset, 0, (entry) => entries.push(entry) > 0)
    return entries
  })
  return JSON.parse(JSON.stringify({ tables: KEYED_TABLES.map((name) => [...store[name].values()]), records }))
}

const key = (id: string, description: string): StoredKey => ({
  id, description, role: 'client', secretHash: `h${id}`, createdAt: 1, expiresAt: null, rotatedAt: null,
})
const session = (id: string, subject: string): StoredSession => ({
  id, subject: { type: 'api_key', id: subject }, createdAt: 1, refreshExpiresAt: 2, accessExpiresAt: 3, endedAt: null,
})
const record = (id: string, n: number): DataRecord => Object.freeze({ id, owner: 'o', created_at: 't', updated_at: 't', n }) as DataRecord

type Command = (store: ReplicatedStore) => void
const ids = fc.constantFrom('a', 'b', 'c', 'd')
const dataset = fc.constantFrom(...DATASETS)
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.tuple(ids, fc.string()).map(([id, description]): Command => (store) => {
    const existing = store.keys.get(id)
    if (existing === undefined) store.keys.put(key(id, description))
    else {
      existing.description = description // changed in place, then put again, as the domain does
      store.keys.put(existing)
    }
  }),
  ids.map((id): Command => (store) => void store.keys.delete(id)),
  fc.tuple(ids, ids).map(([id, subject]): Command => (store) => store.sessions.put(session(id, subject))),
  ids.map((id): Command => (store) => {
    const found = store.sessions.get(id)
    if (found === undefined) return
    found.endedAt = 9
    store.sessions.put(found)
  }),
  ids.map((subject): Command => (store) => void store.sessions.lookup('subject', `api_key:${subject}`)),
  fc.constant((store: ReplicatedStore) => store.sessions.clear()),
  fc.tuple(dataset, ids).map(([name, id]): Command => (store) => {
    if (store.records.get(name, id) === undefined) store.records.insert(name, { seq: store.nextSeq(), record: record(id, 0) })
  }),
  fc.tuple(dataset, ids, fc.integer()).map(([name, id, n]): Command => (store) => {
    const found = store.records.get(name, id)
    if (found !== undefined) store.records.replace(name, { seq: found.seq, record: record(id, n) })
  }),
  fc.tuple(dataset, ids).map(([name, id]): Command => (store) => void store.records.delete(name, id)),
  dataset.map((name): Command => (store) => store.records.dropDataset(name)),
  fc.constant((store: ReplicatedStore) => void store.snapshot(['keys', 'records'])),
  fc.constant((store: ReplicatedStore) => store.restore(store.snapshot([]), ['keys', 'records'])),
)
const change = fc.array(command, { maxLength: 12 })
const setup = fc.array(command, { minLength: 10, maxLength: 40 })

describe('a change of the replicated store', () => {
  it('is taken back entirely by its undo: rows, their order, records, the fixture snapshot', () => {
    fc.assert(
      fc.property(setup, change, fc.array(command, { maxLength: 4 }), (setup, attempt, probe) => {
        const one = replica()
        inChange(one, (store) => setup.forEach((run) => run(store)))
        const before = contents(one.store)
        const txn = inChange(one, (store) => attempt.forEach((run) => run(store)))
        txn.undo()
        expect(contents(one.store)).toEqual(before)
        // The fixture snapshot came back too: restoring it now restores what it was before.
        const twin = replica()
        inChange(twin, (store) => setup.forEach((run) => run(store)))
        for (const target of [one, twin]) inChange(target, (store) => probe.forEach((run) => run(store)))
        inChange(one, (store) => store.restore(store.snapshot([]), ['keys', 'records']))
        inChange(twin, (store) => store.restore(store.snapshot([]), ['keys', 'records']))
        expect(contents(one.store)).toEqual(contents(twin.store))
      }),
      { numRuns: 300 },
    )
  })

  it('gives another replica that applies its entry exactly the committer’s tables', () => {
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 4 }), (changes) => {
        const committer = replica()
        const follower = replica()
        for (const steps of changes) {
          const { entry } = inChange(committer, (store) => steps.forEach((run) => run(store))).seal()
          applied(follower.store, entry)
          expect(contents(follower.store)).toEqual(contents(committer.store))
        }
      }),
      { numRuns: 300 },
    )
  })

  // Kept list answers are keyed on RecordTable.version(dataset): wherever a dataset's records
  // differ from when an answer was kept, its version must differ too — on the replica that
  // applies another's entry, and on the committer when its change is undone.
  it('moves a dataset’s version wherever its records change: applying an entry, undoing a change', () => {
    const records = (store: ReplicatedStore, name: string): string => {
      const entries: unknown[] = []
      store.records.scan(name, 0, (entry) => entries.push(entry) > 0)
      return JSON.stringify(entries)
    }
    const seen = (store: ReplicatedStore) => DATASETS.map((name) => ({ records: records(store, name), version: store.records.version(name) }))
    const expectVersionsFollow = (before: ReturnType<typeof seen>, after: ReturnType<typeof seen>): void => {
      before.forEach((was, index) => {
        if (after[index]!.records !== was.records) expect(after[index]!.version).not.toBe(was.version)
      })
    }
    fc.assert(
      fc.property(setup, change, (setup, steps) => {
        const committer = replica()
        const follower = replica()
        applied(follower.store, inChange(committer, (store) => setup.forEach((run) => run(store))).seal().entry)
        const followerBefore = seen(follower.store)
        const committerBefore = seen(committer.store)
        const txn = inChange(committer, (store) => steps.forEach((run) => run(store)))
        const committerChanged = seen(committer.store)
        expectVersionsFollow(committerBefore, committerChanged)
        applied(follower.store, txn.seal().entry)
        expectVersionsFollow(followerBefore, seen(follower.store))
        txn.undo()
        expectVersionsFollow(committerChanged, seen(committer.store))
      }),
      { numRuns: 300 },
    )
  })

  it('puts a deleted row back in its place', () => {
    const one = replica()
    inChange(one, (store) => ['a', 'b', 'c'].forEach((id) => store.keys.put(key(id, id))))
    inChange(one, (store) => {
      store.keys.delete('a')
      store.keys.delete('b')
      store.keys.put(key('d', 'd'))
    }).undo()
    expect([...one.store.keys.values()].map((row) => row.id)).toEqual(['a', 'b', 'c'])
  })

  it('puts a row back in its place when the change wrote it before deleting it', () => {
    const one = replica()
    inChange(one, (store) => ['a', 'b', 'c'].forEach((id) => store.keys.put(key(id, id))))
    inChange(one, (store) => {
      store.keys.put(key('a', 'changed'))
      store.keys.delete('a')
    }).undo()
    expect([...one.store.keys.values()].map((row) => `${row.id} ${row.description}`)).toEqual(['a a', 'b b', 'c c'])
  })

  it('depends on what it read and says what it wrote, index buckets included', () => {
    const one = replica()
    inChange(one, (store) => store.sessions.put(session('s1', 'k1')))
    const txn = inChange(one, (store) => {
      store.keys.get('k1')
      store.sessions.lookup('subject', 'api_key:k1')
      const found = store.sessions.get('s1')!
      found.subject = { type: 'api_key', id: 'k2' }
      store.sessions.put(found)
    })
    const { entry, dependsOn } = txn.seal()
    const dependencies = JSON.parse(dependsOn) as string[]
    expect(dependencies).toEqual(expect.arrayContaining([item.row('keys', 'k1'), item.index('sessions', 'subject', 'api_key:k1'), item.row('sessions', 's1')]))
    // The session left one subject's bucket and joined another's: both are written.
    expect(entry.i).toEqual(
      expect.arrayContaining([item.row('sessions', 's1'), item.index('sessions', 'subject', 'api_key:k1'), item.index('sessions', 'subject', 'api_key:k2')]),
    )
    expect(entry.i).not.toContain(item.row('keys', 'k1'))
    expect(entry.o).toHaveLength(1)
  })

  it('refuses a change outside a transaction, but lets a sweep purge', () => {
    const { store } = replica()
    expect(() => store.keys.put(key('a', 'x'))).toThrow(/outside a change/)
    expect(store.sessions.purge('nothing')).toBe(false)
  })
})
