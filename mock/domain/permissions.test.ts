import { describe, expect, it } from 'vitest'
import type { PolicyInput } from './contract.ts'
import { ADDRESS, bearer, keyPrincipal, policy, testDomain, userPrincipal } from './testing.ts'

const ALICE = 'usr_AliceAliceAlice0001'
const KEY = 'key_ClientClientClient01'

describe('policy management', () => {
  it('creates, lists in creation order, gets, replaces in place and deletes', () => {
    const { domain } = testDomain()
    const first = domain.createPolicy(policy({ subjects: [{ type: 'api_key', id: KEY }] }))
    const second = domain.createPolicy(policy({ subjects: [{ type: 'user', id: ALICE }], filters: [{ owner: true }] }))
    expect(first.id).toMatch(/^pol_[A-Za-z0-9]{20}$/)
    expect(second).toMatchObject({ description: 'test', resources: ['orders'], actions: ['read'], filters: [{ owner: true }] })
    const replaced = domain.replacePolicy(first.id, policy({ subjects: [{ type: 'namespace', id: 'registered' }], actions: ['update'] }))
    expect(replaced).toMatchObject({ id: first.id, subjects: [{ type: 'namespace', id: 'registered' }], actions: ['update'] })
    expect(domain.listPolicies().map((p) => p.id)).toEqual([first.id, second.id])
    expect(domain.getPolicy(first.id)).toEqual(replaced)
    domain.deletePolicy(first.id)
    expect(() => domain.getPolicy(first.id)).toThrow(expect.objectContaining({ code: 'not_found' }))
    expect(() => domain.replacePolicy(first.id, policy({ subjects: [] }))).toThrow(expect.objectContaining({ code: 'not_found' }))
    expect(() => domain.deletePolicy(first.id)).toThrow(expect.objectContaining({ code: 'not_found' }))
  })

  it('defaults description and filters', () => {
    const { domain } = testDomain()
    const created = domain.createPolicy({ subjects: [{ type: 'user', id: ALICE }], resources: ['orders'], actions: ['read'] })
    expect(created).toMatchObject({ description: '', filters: [] })
  })

  it('answers copies: changing an answer does not change the policy', () => {
    const { domain } = testDomain()
    const created = domain.createPolicy(policy({ subjects: [{ type: 'user', id: ALICE }] }))
    created.actions.push('delete')
    domain.listPolicies()[0]!.resources.push('users')
    expect(domain.getPolicy(created.id)).toMatchObject({ actions: ['read'], resources: ['orders'] })
  })

  it.each<[string, unknown]>([
    ['`in` with a scalar', { field: 'a', op: 'in', value: 'x' }],
    ['`in` with an object element', { field: 'a', op: 'in', value: [{}] }],
    ['`eq` with an array', { field: 'a', op: 'eq', value: [1] }],
    ['`gt` with an object', { field: 'a', op: 'gt', value: { x: 1 } }],
    ['an unknown operator', { field: 'a', op: 'like', value: 'x' }],
    ['owner false', { owner: false }],
    ['owner with extra keys', { owner: true, field: 'a' }],
    ['an empty field', { field: '', op: 'eq', value: 1 }],
  ])('refuses a filter with %s', (_name, filter) => {
    const { domain } = testDomain()
    const input = policy({ subjects: [{ type: 'user', id: ALICE }], filters: [filter as never] })
    expect(() => domain.createPolicy(input)).toThrow(expect.objectContaining({ code: 'invalid_request' }))
  })
})

describe('policy subjects', () => {
  it('namespace policies apply to members only, and namespace changes apply at once', async () => {
    const { domain } = testDomain()
    domain.createDataset({ name: 'orders' })
    const member = await domain.createUser({ email: 'm@example.com', password: 'password-1', namespaces: ['registered'] })
    await domain.createUser({ email: 'n@example.com', password: 'password-2' })
    domain.createPolicy(policy({ subjects: [{ type: 'namespace', id: 'registered' }] }))
    const memberTokens = (await domain.signIn({ email: 'm@example.com', password: 'password-1', address: ADDRESS })).tokens
    const outsiderTokens = (await domain.signIn({ email: 'n@example.com', password: 'password-2', address: ADDRESS })).tokens
    const memberPrincipal = await domain.authenticate(bearer(memberTokens.access_token))
    expect(domain.grants(memberPrincipal, 'orders', 'read')).toBe(true)
    expect(domain.grants(await domain.authenticate(bearer(outsiderTokens.access_token)), 'orders', 'read')).toBe(false)
    // A key whose id happens to equal the namespace name is not a member.
    expect(domain.grants(keyPrincipal('registered'), 'orders', 'read')).toBe(false)
    await domain.updateUser(member.id, { namespaces: [] })
    expect(domain.grants(await domain.authenticate(bearer(memberTokens.access_token)), 'orders', 'read')).toBe(false)
  })

  it('changes to policies decide the very next request (PERM-012)', () => {
    const { domain } = testDomain()
    const alice = userPrincipal(ALICE)
    expect(domain.grants(alice, 'orders', 'read')).toBe(false)
    const created = domain.createPolicy(policy({ subjects: [{ type: 'user', id: ALICE }] }))
    expect(domain.grants(alice, 'orders', 'read')).toBe(true)
    domain.replacePolicy(created.id, policy({ subjects: [{ type: 'user', id: ALICE }], resources: ['users'] }))
    expect(domain.grants(alice, 'orders', 'read')).toBe(false)
    expect(domain.grants(alice, 'users', 'read')).toBe(true)
    domain.deletePolicy(created.id)
    expect(domain.grants(alice, 'users', 'read')).toBe(false)
  })

  it('a reset to the fixture state decides the very next request, though lookups are kept between changes', () => {
    const { domain } = testDomain()
    const alice = userPrincipal(ALICE)
    domain.createPolicy(policy({ subjects: [{ type: 'user', id: ALICE }], resources: ['users'] }))
    domain.markFixtureState()
    domain.createPolicy(policy({ subjects: [{ type: 'user', id: ALICE }] }))
    expect(domain.grants(alice, 'orders', 'read')).toBe(true)
    domain.reset('data')
    expect(domain.grants(alice, 'orders', 'read')).toBe(false)
    expect(domain.grants(alice, 'users', 'read')).toBe(true)
  })

  it('a changed filter decides the very next list', () => {
    const { domain } = testDomain()
    domain.createDataset({ name: 'orders' })
    for (const total of [50, 150, 250]) domain.seedRecord({ dataset: 'orders', owner: KEY, fields: { total } })
    const caller = keyPrincipal(KEY)
    const totals = () => domain.listRecords({ principal: caller, dataset: 'orders' }).items.map((record) => record['total'])
    const atLeast = (value: number) => policy({ subjects: [{ type: 'api_key', id: KEY }], filters: [{ field: 'total', op: 'gte', value }] })
    const created = domain.createPolicy(atLeast(100))
    expect(totals()).toEqual([150, 250])
    domain.replacePolicy(created.id, atLeast(200))
    expect(totals()).toEqual([250])
    domain.createPolicy(atLeast(0))
    expect(totals()).toEqual([50, 150, 250])
  })
})

describe('permissions/me', () => {
  it('lists exactly the policies that apply, directly or through a namespace', () => {
    const { domain } = testDomain()
    const direct = domain.createPolicy(policy({ subjects: [{ type: 'user', id: ALICE }] }))
    const viaNamespace = domain.createPolicy(policy({ subjects: [{ type: 'namespace', id: 'registered' }, { type: 'user', id: ALICE }] }))
    domain.createPolicy(policy({ subjects: [{ type: 'namespace', id: 'staff' }] }))
    domain.createPolicy(policy({ subjects: [{ type: 'api_key', id: KEY }] }))
    const me = domain.permissionsMe(userPrincipal(ALICE, ['registered']))
    expect(me).toMatchObject({ subject: { type: 'user', id: ALICE }, role: 'user', namespaces: ['registered'] })
    expect(me.policies.map((p) => p.id)).toEqual([direct.id, viaNamespace.id])
  })
})

describe('permissions/check', () => {
  const orderPolicies = (): PolicyInput[] => [
    policy({ subjects: [{ type: 'namespace', id: 'registered' }], actions: ['create', 'read', 'update', 'delete'] }),
    policy({ subjects: [{ type: 'namespace', id: 'registered' }], filters: [{ field: 'total', op: 'gt', value: 100 }] }),
    policy({ subjects: [{ type: 'user', id: ALICE }], actions: ['update'], filters: [{ owner: true }] }),
  ]

  it.each<[string, Parameters<ReturnType<typeof testDomain>['domain']['checkPermission']>[0], boolean, number[]]>([
    ['user via namespace, no record', { subject: { type: 'user', id: ALICE }, dataset: 'orders', action: 'read' }, true, [0, 1]],
    ['user, record admitted by one', { subject: { type: 'user', id: ALICE }, dataset: 'orders', action: 'read', record: { total: 5 } }, true, [0]],
    ['namespace subject itself', { subject: { type: 'namespace', id: 'registered' }, dataset: 'orders', action: 'read', record: { total: 500 } }, true, [0, 1]],
    ['owner filter on the subject', { subject: { type: 'user', id: ALICE }, dataset: 'orders', action: 'update', record: { owner: ALICE } }, true, [0, 2]],
    ['owner filter, foreign record', { subject: { type: 'user', id: 'usr_Someone' }, dataset: 'orders', action: 'update', record: { owner: ALICE } }, false, []],
    ['other dataset', { subject: { type: 'user', id: ALICE }, dataset: 'users', action: 'read' }, false, []],
    ['api key without policies', { subject: { type: 'api_key', id: KEY }, dataset: 'orders', action: 'read' }, false, []],
  ])('%s', async (_name, input, allowed, matchedIndexes) => {
    const { domain } = testDomain()
    await domain.createUser({ email: 'a@example.com', password: 'password-1', namespaces: ['registered'] }, { id: ALICE })
    const ids = orderPolicies().map((p) => domain.createPolicy(p).id)
    expect(domain.checkPermission(input)).toEqual({ allowed, matched_policies: matchedIndexes.map((i) => ids[i]) })
  })

  it('agrees with enforcement on records (PERM-015)', () => {
    const { domain } = testDomain()
    domain.createKey({ description: 'client' }, { id: KEY })
    domain.createDataset({ name: 'orders' })
    domain.createPolicy(policy({ subjects: [{ type: 'api_key', id: KEY }], filters: [{ field: 'total', op: 'gte', value: 10 }] }))
    const caller = keyPrincipal(KEY)
    for (const total of [5, 10, 'x', undefined]) {
      const record = domain.seedRecord({ dataset: 'orders', owner: KEY, fields: total === undefined ? {} : { total } })
      const decision = domain.checkPermission({ subject: caller.subject, dataset: 'orders', action: 'read', record })
      let enforced = true
      try {
        domain.getRecord({ principal: caller, dataset: 'orders', id: record.id })
      } catch {
        enforced = false
      }
      expect(decision.allowed).toBe(enforced)
    }
  })
})

describe('permissions/check edge subjects (PERM-020, PERM-021)', () => {
  const GONE = 'usr_NeverNeverNever0001'
  const read = (subject: { type: 'api_key' | 'user' | 'namespace'; id: string }) => ({ subject, dataset: 'orders', action: 'read' as const })

  /** A domain with an admin key, a client key, Alice in `registered`, and a read policy naming each (and GONE). */
  async function world() {
    const test = testDomain()
    const { domain } = test
    const admin = domain.createKey({ description: 'admin', role: 'admin' })
    const client = domain.createKey({ description: 'client' })
    await domain.createUser({ email: 'a@example.com', password: 'password-1', namespaces: ['registered'] }, { id: ALICE })
    const named = (type: 'api_key' | 'user' | 'namespace', id: string) => domain.createPolicy(policy({ subjects: [{ type, id }] })).id
    return { ...test, admin, client, policies: { client: named('api_key', client.id), alice: named('user', ALICE), gone: named('user', GONE), registered: named('namespace', 'registered') } }
  }

  it('a user or key that never existed is allowed nothing, even by a policy naming its id', async () => {
    const { domain } = await world()
    expect(domain.checkPermission(read({ type: 'user', id: GONE }))).toEqual({ allowed: false, matched_policies: [] })
    expect(domain.checkPermission(read({ type: 'api_key', id: 'key_NeverNeverNever0001' }))).toEqual({ allowed: false, matched_policies: [] })
  })

  it('a deleted user and a revoked key are allowed nothing from then on', async () => {
    const { domain, client, policies } = await world()
    expect(domain.checkPermission(read({ type: 'user', id: ALICE })).matched_policies).toEqual([policies.alice, policies.registered])
    expect(domain.checkPermission(read({ type: 'api_key', id: client.id })).matched_policies).toEqual([policies.client])
    domain.deleteUser(ALICE)
    domain.revokeKey(client.id)
    expect(domain.checkPermission(read({ type: 'user', id: ALICE }))).toEqual({ allowed: false, matched_policies: [] })
    expect(domain.checkPermission(read({ type: 'api_key', id: client.id }))).toEqual({ allowed: false, matched_policies: [] })
  })

  it('an inactive user is answered by its policies, its namespaces included', async () => {
    const { domain, policies } = await world()
    await domain.updateUser(ALICE, { active: false })
    expect(domain.checkPermission(read({ type: 'user', id: ALICE }))).toEqual({ allowed: true, matched_policies: [policies.alice, policies.registered] })
  })

  it('an admin key is allowed only what policies naming it grant', async () => {
    const { domain, admin } = await world()
    expect(domain.checkPermission(read({ type: 'api_key', id: admin.id }))).toEqual({ allowed: false, matched_policies: [] })
    const named = domain.createPolicy(policy({ subjects: [{ type: 'api_key', id: admin.id }] }))
    expect(domain.checkPermission(read({ type: 'api_key', id: admin.id }))).toEqual({ allowed: true, matched_policies: [named.id] })
  })

  it('a namespace named like a key id or a user id is not that key or user, and the reverse', async () => {
    const { domain, client, policies } = await world()
    const asNamespace = [client.id, ALICE].map((id) => domain.createPolicy(policy({ subjects: [{ type: 'namespace', id }] })).id)
    // A user subject named like Alice's namespace: not a namespace policy.
    domain.createPolicy(policy({ subjects: [{ type: 'user', id: 'registered' }] }))
    expect(domain.checkPermission(read({ type: 'api_key', id: client.id })).matched_policies).toEqual([policies.client])
    expect(domain.checkPermission(read({ type: 'user', id: ALICE })).matched_policies).toEqual([policies.alice, policies.registered])
    expect(domain.checkPermission(read({ type: 'namespace', id: client.id })).matched_policies).toEqual([asNamespace[0]])
    expect(domain.checkPermission(read({ type: 'namespace', id: 'registered' })).matched_policies).toEqual([policies.registered])
  })
})

describe('requireAdmin', () => {
  it('passes admins and refuses everyone else with forbidden', () => {
    const { domain } = testDomain()
    expect(() => domain.requireAdmin(keyPrincipal(KEY, 'admin'))).not.toThrow()
    expect(() => domain.requireAdmin(keyPrincipal(KEY))).toThrow(expect.objectContaining({ code: 'forbidden' }))
    expect(() => domain.requireAdmin(userPrincipal(ALICE))).toThrow(expect.objectContaining({ code: 'forbidden' }))
  })
})

describe('datasets', () => {
  it('creates, refuses duplicates and bad names, lists, and deletes with their records', () => {
    const { domain, store } = testDomain()
    expect(domain.createDataset({ name: 'orders' })).toEqual({ name: 'orders', created_at: '2030-01-01T00:00:00.000Z' })
    expect(() => domain.createDataset({ name: 'orders' })).toThrow(expect.objectContaining({ code: 'conflict' }))
    for (const name of ['Orders', '1abc', '', 'a'.repeat(64), 'a b']) {
      expect(() => domain.createDataset({ name })).toThrow(expect.objectContaining({ code: 'invalid_request' }))
    }
    domain.seedRecord({ dataset: 'orders', owner: KEY, fields: {} })
    expect(domain.listDatasets().map((d) => d.name)).toEqual(['orders'])
    domain.deleteDataset('orders')
    expect(store.records.size).toBe(0)
    expect(() => domain.deleteDataset('orders')).toThrow(expect.objectContaining({ code: 'not_found' }))
  })
})

describe('policy shape checks for direct callers (fixtures)', () => {
  it.each<[string, Record<string, unknown>]>([
    ['no subjects', { resources: ['orders'], actions: ['read'] }],
    ['a bad subject type', { subjects: [{ type: 'group', id: 'x' }], resources: ['orders'], actions: ['read'] }],
    ['an empty subject id', { subjects: [{ type: 'user', id: '' }], resources: ['orders'], actions: ['read'] }],
    ['resources not an array', { subjects: [{ type: 'user', id: 'u' }], resources: 'orders', actions: ['read'] }],
    ['an unknown action', { subjects: [{ type: 'user', id: 'u' }], resources: ['orders'], actions: ['write'] }],
    ['filters not an array', { subjects: [{ type: 'user', id: 'u' }], resources: ['orders'], actions: ['read'], filters: {} }],
  ])('refuses %s with invalid_request', (_name, input) => {
    const { domain } = testDomain()
    expect(() => domain.createPolicy(input as never)).toThrow(expect.objectContaining({ code: 'invalid_request' }))
  })
})
