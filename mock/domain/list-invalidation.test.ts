// Kept list answers follow every kind of change: each case lists twice (the second answer is
// the kept page itself, so something is kept to invalidate), makes one change, and lists
// again as a fresh request would — authenticating the caller's token first, as the HTTP
// layer does on every request.
import { describe, expect, it } from 'vitest'
import type { PolicyInput } from './contract.ts'
import { ForbiddenError, TokenExpiredError, TokenRevokedError } from './errors.ts'
import type { Seams } from './seams.ts'
import { ADDRESS, bearer, policy, START, testDomain } from './testing.ts'

const PASSWORD = 'correct horse battery'
const USER_ID = 'usr_L1stUs3rL1stUs3rL1'

/**
 * A key that reads paid orders and a user whose namespace `staff` reads pending ones; two
 * orders each. `list(token)` is a request: authenticate, then list.
 */
async function world() {
  const t = testDomain()
  const { domain } = t
  domain.createDataset({ name: 'orders' })
  const key = domain.createKey({ description: 'reader', expires_at: new Date(START + 7200_000).toISOString() })
  await domain.createUser({ email: 'lists@example.test', password: PASSWORD, namespaces: ['staff'] }, { id: USER_ID })
  const keyPolicy = domain.createPolicy(policy({ subjects: [{ type: 'api_key', id: key.id }], filters: [{ field: 'status', op: 'eq', value: 'paid' }] }))
  domain.createPolicy(policy({ subjects: [{ type: 'namespace', id: 'staff' }], filters: [{ field: 'status', op: 'eq', value: 'pending' }] }))
  const seed = (status: string, owner = key.id) => domain.seedRecord({ dataset: 'orders', owner, fields: { status } })
  const paid = seed('paid')
  seed('pending')
  seed('paid', USER_ID)
  seed('pending', USER_ID)
  domain.markFixtureState()
  const keyToken = (await domain.exchangeApiKey({ apiKey: key.id, apiSecret: key.secret, address: ADDRESS })).tokens.access_token
  const userToken = (await domain.signIn({ email: 'lists@example.test', password: PASSWORD, address: ADDRESS })).tokens.access_token
  const list = async (token: string, limit = 10) => domain.listRecords({ principal: await domain.authenticate(bearer(token)), dataset: 'orders', limit })
  /** What the HTTP layer's lane reads (keptListPage): the kept page, undefined, or the refusal. */
  const peek = async (token: string, limit = 10) => {
    try {
      return domain.keptListPage({ principal: await domain.authenticate(bearer(token)), dataset: 'orders', limit })
    } catch (refusal) {
      return refusal
    }
  }
  const statuses = async (token: string) => (await list(token)).items.map((record) => record['status'])
  /** Lists twice: the second answer must be the kept page. */
  const kept = async (token: string) => {
    const first = await list(token)
    expect(await list(token)).toBe(first)
    return first
  }
  return { ...t, key, keyPolicy, keyToken, userToken, paid, seed, list, peek, statuses, kept }
}

type World = Awaited<ReturnType<typeof world>>

describe('a kept list answer is recomputed after', () => {
  it.each<[string, (w: World) => unknown, (w: World) => Promise<void>]>([
    ['a record created', (w) => w.seed('paid'), async (w) => expect(await w.statuses(w.keyToken)).toEqual(['paid', 'paid', 'paid'])],
    [
      'a record changed (merge patch)',
      (w) => w.domain.patchRecord({ principal: { subject: { type: 'api_key', id: w.key.id }, role: 'admin', namespaces: [] }, dataset: 'orders', id: w.paid.id, patch: { status: 'pending' } }),
      async (w) => expect(await w.statuses(w.keyToken)).toEqual(['paid']),
    ],
    [
      'a record deleted',
      (w) => w.domain.deleteRecord({ principal: { subject: { type: 'api_key', id: w.key.id }, role: 'admin', namespaces: [] }, dataset: 'orders', id: w.paid.id }),
      async (w) => expect((await w.list(w.keyToken)).items.map((record) => record.id)).not.toContain(w.paid.id),
    ],
    [
      'the dataset deleted and created again',
      (w) => {
        w.domain.deleteDataset('orders')
        w.domain.createDataset({ name: 'orders' })
      },
      async (w) => expect(await w.statuses(w.keyToken)).toEqual([]),
    ],
    [
      'a policy added',
      (w) => w.domain.createPolicy(policy({ subjects: [{ type: 'api_key', id: w.key.id }], filters: [{ field: 'status', op: 'eq', value: 'pending' }] })),
      async (w) => expect(await w.statuses(w.keyToken)).toEqual(['paid', 'pending', 'paid', 'pending']),
    ],
    [
      'a policy replaced',
      (w) => w.domain.replacePolicy(w.keyPolicy.id, { ...(w.keyPolicy as PolicyInput), filters: [{ owner: true }] }),
      async (w) => expect(await w.statuses(w.keyToken)).toEqual(['paid', 'pending']),
    ],
    [
      'a policy deleted (no grant left: 403)',
      (w) => w.domain.deletePolicy(w.keyPolicy.id),
      async (w) => expect(w.list(w.keyToken)).rejects.toBeInstanceOf(ForbiddenError),
    ],
  ])('%s', async (_name, change, expectAfter) => {
    const w = await world()
    const before = await w.kept(w.keyToken)
    expect(before).toMatchObject({ items: [{ status: 'paid' }, { status: 'paid' }] })
    expect(await w.peek(w.keyToken)).toBe(before)
    await change(w)
    // Nor does the peek of the lane hand the old page out; after a fresh list, it has the new one.
    expect(await w.peek(w.keyToken)).not.toBe(before)
    await expectAfter(w)
    // A page listed is the page peeked at; a refusal was never kept, so there is none to peek at.
    const after = await w.peek(w.keyToken)
    if (after === undefined) await expect(w.list(w.keyToken)).rejects.toBeInstanceOf(ForbiddenError)
    else expect(after).toBe(await w.list(w.keyToken))
  })

  it("a user's namespaces changed", async () => {
    const w = await world()
    expect((await w.kept(w.userToken)).items.map((record) => record['status'])).toEqual(['pending', 'pending'])
    await w.domain.updateUser(USER_ID, { namespaces: ['sales'] })
    await expect(w.list(w.userToken)).rejects.toBeInstanceOf(ForbiddenError)
    await w.domain.updateUser(USER_ID, { namespaces: ['sales', 'staff'] })
    expect(await w.statuses(w.userToken)).toEqual(['pending', 'pending'])
  })

  it('the data reset to the fixtures (after a record added)', async () => {
    const w = await world()
    w.seed('paid')
    expect((await w.kept(w.keyToken)).items).toHaveLength(3)
    w.domain.reset('data')
    const token = (await w.domain.exchangeApiKey({ apiKey: w.key.id, apiSecret: w.key.secret, address: ADDRESS })).tokens.access_token
    expect(await w.statuses(token)).toEqual(['paid', 'paid'])
  })
})

describe('a kept list answer is never handed to a caller who is no longer let in', () => {
  it.each<[string, (w: World) => unknown, new (...args: never[]) => Error]>([
    ['the key revoked', (w) => w.domain.revokeKey(w.key.id), TokenRevokedError],
    ['the token revoked', (w) => w.domain.revoke({ token: w.keyToken }), TokenRevokedError],
    ['the clock moved past the token expiry', (w) => w.clock.advance(3600), TokenExpiredError],
  ])('%s', async (_name, change, refusal) => {
    const w = await world()
    await w.kept(w.keyToken)
    await change(w)
    await expect(w.list(w.keyToken)).rejects.toBeInstanceOf(refusal)
    expect(await w.peek(w.keyToken)).toBeInstanceOf(refusal)
  })

  it('the clock moved past the key expiry (a token issued late is capped at it)', async () => {
    const w = await world()
    w.clock.advance(6000)
    const late = (await w.domain.exchangeApiKey({ apiKey: w.key.id, apiSecret: w.key.secret, address: ADDRESS })).tokens.access_token
    await w.kept(late)
    w.clock.advance(1200)
    await expect(w.list(late)).rejects.toBeInstanceOf(TokenExpiredError)
    await expect(w.domain.exchangeApiKey({ apiKey: w.key.id, apiSecret: w.key.secret, address: ADDRESS })).rejects.toThrow()
  })

  it('the user deactivated', async () => {
    const w = await world()
    await w.kept(w.userToken)
    await w.domain.updateUser(USER_ID, { active: false })
    await expect(w.list(w.userToken)).rejects.toBeInstanceOf(TokenRevokedError)
  })
})

describe('replaced rules (the defect catalogue)', () => {
  it.each<[string, Partial<Seams>]>([
    ['the listing seam', { listIncludes: (admits) => admits() }],
    ['the effective-policy seam', { effectivePolicies: ({ load }) => load() }],
    ['an evaluator seam (interpreted, not compiled)', { combineFilters: (filters, holds) => filters.every(holds) }],
  ])('%s replaced: every list is computed afresh, as the replacement decides it now', (_name, seams) => {
    const { domain } = testDomain({}, seams)
    domain.createDataset({ name: 'orders' })
    domain.createPolicy(policy({ subjects: [{ type: 'api_key', id: 'key_Repl4c3dRul3s00000000' }] }))
    const principal = { subject: { type: 'api_key' as const, id: 'key_Repl4c3dRul3s00000000' }, role: 'client' as const, namespaces: [] }
    const first = domain.listRecords({ principal, dataset: 'orders' })
    expect(domain.listRecords({ principal, dataset: 'orders' })).not.toBe(first)
    expect(domain.stateCounts()['keptListPages']).toBe(0)
  })
})

describe('role grants (semantics permissions: roles)', () => {
  it('share one granting list between callers, so the owner keys the page; a grant changed decides the next list', () => {
    const { domain } = testDomain({ semantics: { permissions: 'roles' } })
    domain.createDataset({ name: 'notes' })
    const [first, second] = [0, 1].map(() => domain.createKey({ description: 'role caller' }))
    const principals = [first!, second!].map(({ id }) => {
      domain.setRoleGrant({ type: 'api_key', id }, { scope: 'own', read: true, write: false })
      domain.seedRecord({ dataset: 'notes', owner: id, fields: { by: id } })
      return { subject: { type: 'api_key' as const, id }, role: 'client' as const, namespaces: [] }
    })
    const seen = (principal: (typeof principals)[number]) => domain.listRecords({ principal, dataset: 'notes' }).items.map((record) => record['by'])
    for (const principal of [...principals, ...principals]) expect(seen(principal)).toEqual([principal.subject.id])
    domain.setRoleGrant({ type: 'api_key', id: first!.id }, { scope: 'all', read: true, write: false })
    expect(seen(principals[0]!)).toEqual([first!.id, second!.id])
    domain.setRoleGrant({ type: 'api_key', id: first!.id }, { scope: 'all', read: false, write: true })
    expect(() => seen(principals[0]!)).toThrow(ForbiddenError)
  })
})

describe('owner filters', () => {
  it('decide per caller: two users of one namespace each see their own records', async () => {
    const { domain } = testDomain()
    domain.createDataset({ name: 'notes' })
    domain.createPolicy(policy({ subjects: [{ type: 'namespace', id: 'team' }], resources: ['notes'], filters: [{ owner: true }] }))
    const principals = ['usr_0wnerA0000000000000', 'usr_0wnerB0000000000000'].map((id) => {
      domain.seedRecord({ dataset: 'notes', owner: id, fields: { by: id } })
      return { subject: { type: 'user' as const, id }, role: 'user' as const, namespaces: ['team'] }
    })
    for (const principal of [...principals, ...principals]) {
      expect(domain.listRecords({ principal, dataset: 'notes' }).items.map((record) => record['by'])).toEqual([principal.subject.id])
    }
  })
})
