// Lists against two independent evaluators after random interleavings of writes and reads:
// records created, patched and deleted, policies created, replaced and deleted, users'
// namespaces changed, datasets dropped and re-created — and lists by keys, users and the
// admin, with limits and cursors handed out earlier. Every list is asked twice (the second
// answer must be the kept page) and must equal, page and cursor, what the suites' reference
// evaluator (suites/permissions/reference-evaluator.ts, written from the requirements) and
// the domain's interpreted evaluator (the check endpoint's) decide over the stored records.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as reference from '../../suites/permissions/reference-evaluator.ts'
import type { Filter, PolicyInput } from './contract.ts'
import { ForbiddenError } from './errors.ts'
import { ADDRESS, ADMIN_ID, bearer, testDomain } from './testing.ts'

const DATASETS = ['orders', 'notes'] as const
const NAMESPACES = ['ns0', 'ns1', 'ns2'] as const
const USERS = [
  { id: 'usr_Pr0pUs3r00000000000', email: 'p0@example.test', namespaces: ['ns0'] },
  { id: 'usr_Pr0pUs3r10000000000', email: 'p1@example.test', namespaces: ['ns1'] },
]
const PASSWORD = 'property password'
const FILTERS: Filter[] = [
  { owner: true },
  { field: 'status', op: 'eq', value: 'a' },
  { field: 'status', op: 'ne', value: 'a' },
  { field: 'n', op: 'gte', value: 2 },
  { field: 'n', op: 'in', value: [1, 3] },
]

const dataset = fc.constantFrom(...DATASETS)
const pick = fc.nat({ max: 1000 })
const fields = fc.record(
  { status: fc.constantFrom('a', 'b'), n: fc.constantFrom(1, 2, 3, '2') },
  { requiredKeys: [] },
)
/** Callers 0–1 are keys, 2–3 users, 4 the admin; subjects add the namespaces. */
const SUBJECTS = 7
const policyInput = fc.record({
  subject: fc.nat({ max: SUBJECTS - 1 }),
  resources: fc.subarray([...DATASETS], { minLength: 1 }),
  actions: fc.constantFrom<('read' | 'update')[]>(['read'], ['read'], ['read', 'update'], ['update']),
  filters: fc.subarray(FILTERS, { maxLength: 2 }),
})
const seed = fc.record({ kind: fc.constant('seed' as const), dataset, owner: fc.nat({ max: 3 }), fields })
const createPolicy = fc.record({ kind: fc.constant('createPolicy' as const), input: policyInput })
const operation = fc.oneof(
  { weight: 3, arbitrary: seed },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('patch' as const), dataset, pick, patch: fc.record({ status: fc.constantFrom('a', 'b', null), n: fc.constantFrom(1, 3, null) }, { requiredKeys: [] }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), dataset, pick }) },
  { weight: 2, arbitrary: createPolicy },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replacePolicy' as const), pick, input: policyInput }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deletePolicy' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('namespaces' as const), user: fc.nat({ max: 1 }), namespaces: fc.subarray([...NAMESPACES]) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('recreate' as const), dataset }) },
  {
    weight: 8,
    arbitrary: fc.record({ kind: fc.constant('list' as const), caller: fc.nat({ max: 4 }), dataset, limit: fc.constantFrom(1, 2, 3, 100), cursor: fc.option(pick, { freq: 2 }) }),
  },
)
/** Records and read policies to start from, then anything in any order. */
const operations = fc
  .tuple(
    fc.array(seed, { minLength: 4, maxLength: 12 }),
    fc.array(createPolicy, { minLength: 3, maxLength: 8 }),
    fc.array(operation, { minLength: 10, maxLength: 50, size: 'max' }),
  )
  .map(([records, policies, rest]) => [...records, ...policies, ...rest])

async function world() {
  const { domain, store } = testDomain()
  for (const name of DATASETS) domain.createDataset({ name })
  const keys = [0, 1].map(() => domain.createKey({ description: 'property caller' }))
  for (const user of USERS) await domain.createUser({ email: user.email, password: PASSWORD, namespaces: user.namespaces }, { id: user.id })
  const tokens = [
    ...(await Promise.all(keys.map((key) => domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })))),
    ...(await Promise.all(USERS.map((user) => domain.signIn({ email: user.email, password: PASSWORD, address: ADDRESS })))),
  ].map(({ tokens: pair }) => pair.access_token)
  const subjects = [
    ...keys.map((key) => ({ type: 'api_key' as const, id: key.id })),
    ...USERS.map((user) => ({ type: 'user' as const, id: user.id })),
    ...NAMESPACES.map((id) => ({ type: 'namespace' as const, id })),
  ]
  return { domain, store, keys, tokens, subjects }
}

type World = Awaited<ReturnType<typeof world>>
const ADMIN = { subject: { type: 'api_key' as const, id: ADMIN_ID }, role: 'admin' as const, namespaces: [] as string[] }

function stored(w: World, name: string) {
  const entries: { seq: number; record: reference.RecordFields & { id: string } }[] = []
  w.store.records.scan(name, 0, (entry) => entries.push(entry) > 0)
  return entries
}

const chosen = <T>(items: readonly T[], index: number): T | undefined => (items.length === 0 ? undefined : items[index % items.length])

function toPolicyInput(w: World, input: typeof policyInput extends fc.Arbitrary<infer I> ? I : never): PolicyInput {
  return { description: 'property', subjects: [w.subjects[input.subject]!], resources: input.resources, actions: input.actions, filters: input.filters }
}

/**
 * Cursors handed out per dataset, with the seq each continues after. A cursor is a place in
 * the dataset: any caller may continue from it, with any limit.
 */
type Cursors = Map<string, { cursor: string; afterSeq: number }[]>

async function checkList(w: World, cursors: Cursors, op: { caller: number; dataset: string; limit: number; cursor: number | null }): Promise<void> {
  const admin = op.caller === 4
  const principal = admin ? ADMIN : await w.domain.authenticate(bearer(w.tokens[op.caller]!))
  const slot = op.dataset
  const from = op.cursor === null ? undefined : chosen(cursors.get(slot) ?? [], op.cursor)
  const query = { principal, dataset: op.dataset, limit: op.limit, cursor: from?.cursor ?? null }
  const caller: reference.Caller = { type: principal.subject.type, id: principal.subject.id, namespaces: principal.namespaces }
  const policies = w.domain.listPolicies() as reference.Policy[]
  // What the HTTP layer's lane would answer without the app: a kept page or nothing.
  const peeked = w.domain.keptListPage(query)
  if (!admin && reference.grantingPolicies(policies, caller, op.dataset, 'read').length === 0) {
    expect(peeked).toBeUndefined()
    expect(() => w.domain.listRecords(query)).toThrow(ForbiddenError)
    return
  }
  const page = w.domain.listRecords(query)
  if (peeked !== undefined) expect(peeked).toBe(page)
  expect(w.domain.listRecords(query)).toBe(page)
  expect(w.domain.keptListPage(query)).toBe(page)
  const after = stored(w, op.dataset).filter((entry) => entry.seq > (from?.afterSeq ?? 0))
  const readable = admin ? after : after.filter((entry) => reference.readableRecords(policies, caller, op.dataset, [entry.record]).length === 1)
  const interpreted = admin
    ? after
    : after.filter((entry) => w.domain.checkPermission({ subject: principal.subject, dataset: op.dataset, action: 'read', record: entry.record }).allowed)
  expect(interpreted.map((entry) => entry.record.id)).toEqual(readable.map((entry) => entry.record.id))
  expect(page.items).toEqual(readable.slice(0, op.limit).map((entry) => entry.record))
  expect(page.next_cursor !== null).toBe(readable.length > op.limit)
  if (page.next_cursor !== null) {
    const list = cursors.get(slot) ?? []
    list.push({ cursor: page.next_cursor, afterSeq: readable[op.limit - 1]!.seq })
    cursors.set(slot, list)
  }
}

type Operation = typeof operation extends fc.Arbitrary<infer O> ? O : never

async function run(w: World, cursors: Cursors, op: Operation): Promise<void> {
  switch (op.kind) {
    case 'seed':
      w.domain.seedRecord({ dataset: op.dataset, owner: w.subjects[op.owner]!.id, fields: op.fields })
      return
    case 'patch':
    case 'delete': {
      const target = chosen(stored(w, op.dataset), op.pick)
      if (target === undefined) return
      const at = { principal: ADMIN, dataset: op.dataset, id: target.record.id }
      if (op.kind === 'patch') w.domain.patchRecord({ ...at, patch: op.patch })
      else w.domain.deleteRecord(at)
      return
    }
    case 'createPolicy':
      w.domain.createPolicy(toPolicyInput(w, op.input))
      return
    case 'replacePolicy':
    case 'deletePolicy': {
      const target = chosen(w.domain.listPolicies(), op.pick)
      if (target === undefined) return
      if (op.kind === 'replacePolicy') w.domain.replacePolicy(target.id, toPolicyInput(w, op.input))
      else w.domain.deletePolicy(target.id)
      return
    }
    case 'namespaces':
      await w.domain.updateUser(USERS[op.user]!.id, { namespaces: op.namespaces })
      return
    case 'recreate':
      w.domain.deleteDataset(op.dataset)
      w.domain.createDataset({ name: op.dataset })
      return
    case 'list':
      await checkList(w, cursors, op)
  }
}

describe('lists after random interleavings of writes and reads', () => {
  it('equal what the reference and the interpreted evaluator decide, page by page (property)', async () => {
    await fc.assert(
      fc.asyncProperty(operations, async (sequence) => {
        const w = await world()
        const cursors: Cursors = new Map()
        for (const op of sequence) await run(w, cursors, op)
      }),
      { numRuns: 60 },
    )
  })
})
