import { describe, expect, it } from 'vitest'
import { ADDRESS, bearer, policy, testDomain } from './testing.ts'
import type { RoleGrant } from './roles.ts'
import type { Principal } from './types.ts'

/** A domain under roles with two users and a key, each with a grant, and records of both users. */
async function setUp(grants: { ann?: RoleGrant; ben?: RoleGrant; key?: RoleGrant } = {}) {
  const t = testDomain({ semantics: { permissions: 'roles' } })
  const { domain } = t
  domain.createDataset({ name: 'pets' })
  const ann = await domain.createUser({ email: 'ann@example.com', password: 'password-1' })
  const ben = await domain.createUser({ email: 'ben@example.com', password: 'password-1' })
  const key = domain.createKey({ description: 'machine' })
  if (grants.ann) domain.setRoleGrant({ type: 'user', id: ann.id }, grants.ann)
  if (grants.ben) domain.setRoleGrant({ type: 'user', id: ben.id }, grants.ben)
  if (grants.key) domain.setRoleGrant({ type: 'api_key', id: key.id }, grants.key)
  const annPet = domain.seedRecord({ dataset: 'pets', owner: ann.id, fields: { name: 'Rex' } })
  const benPet = domain.seedRecord({ dataset: 'pets', owner: ben.id, fields: { name: 'Tom' } })
  const signIn = async (email: string) => {
    const { tokens } = await domain.signIn({ email, password: 'password-1', address: ADDRESS })
    return domain.authenticate(bearer(tokens.access_token))
  }
  return { ...t, ann: await signIn('ann@example.com'), ben: await signIn('ben@example.com'), keyId: key.id, annPet, benPet }
}

const names = (domain: Awaited<ReturnType<typeof setUp>>['domain'], principal: Principal) =>
  domain.listRecords({ principal, dataset: 'pets' }).items.map((record) => record.name)

function code(run: () => unknown): string {
  try {
    run()
    return 'ok'
  } catch (error) {
    return (error as { code: string }).code
  }
}

describe('permissions roles (Machinable): role grants instead of policies', () => {
  it('role user (scope own): lists and reads only the records it created; others\' are not found', async () => {
    const { domain, ann, benPet, annPet } = await setUp({ ann: { scope: 'own', read: true, write: false } })
    expect(names(domain, ann)).toEqual(['Rex'])
    expect(domain.getRecord({ principal: ann, dataset: 'pets', id: annPet.id })).toMatchObject({ name: 'Rex' })
    expect(code(() => domain.getRecord({ principal: ann, dataset: 'pets', id: benPet.id }))).toBe('not_found')
  })

  it('role administrator (scope all): every record', async () => {
    const { domain, ann, benPet } = await setUp({ ann: { scope: 'all', read: true, write: true } })
    expect(names(domain, ann)).toEqual(['Rex', 'Tom'])
    expect(domain.patchRecord({ principal: ann, dataset: 'pets', id: benPet.id, patch: { name: 'Tommy' } })).toMatchObject({ owner: benPet.owner, name: 'Tommy' })
  })

  it('read access alone: get and list, but create, update and delete are forbidden', async () => {
    const { domain, ann, annPet } = await setUp({ ann: { scope: 'own', read: true, write: false } })
    expect(code(() => domain.createRecord({ principal: ann, dataset: 'pets', fields: { name: 'Fido' } }))).toBe('forbidden')
    expect(code(() => domain.patchRecord({ principal: ann, dataset: 'pets', id: annPet.id, patch: { name: 'R' } }))).toBe('forbidden')
    expect(code(() => domain.deleteRecord({ principal: ann, dataset: 'pets', id: annPet.id }))).toBe('forbidden')
  })

  it('write access alone: create, update and delete its own records, but no get or list', async () => {
    const { domain, ann, annPet, benPet } = await setUp({ ann: { scope: 'own', read: false, write: true } })
    const created = domain.createRecord({ principal: ann, dataset: 'pets', fields: { name: 'Fido' } })
    expect(created.owner).toBe(ann.subject.id)
    expect(domain.patchRecord({ principal: ann, dataset: 'pets', id: annPet.id, patch: { name: 'R' } })).toMatchObject({ name: 'R' })
    expect(code(() => domain.deleteRecord({ principal: ann, dataset: 'pets', id: benPet.id }))).toBe('not_found')
    domain.deleteRecord({ principal: ann, dataset: 'pets', id: created.id })
    expect(code(() => domain.listRecords({ principal: ann, dataset: 'pets' }))).toBe('forbidden')
    expect(code(() => domain.getRecord({ principal: ann, dataset: 'pets', id: annPet.id }))).toBe('forbidden')
  })

  it('applies to every dataset, including one created later', async () => {
    const { domain, ann } = await setUp({ ann: { scope: 'own', read: true, write: true } })
    domain.createDataset({ name: 'toys' })
    expect(domain.createRecord({ principal: ann, dataset: 'toys', fields: { name: 'Ball' } })).toMatchObject({ owner: ann.subject.id })
    expect(domain.listRecords({ principal: ann, dataset: 'toys' }).items).toHaveLength(1)
  })

  it('a subject without a grant may do nothing, and policies are not consulted', async () => {
    const { domain, ben } = await setUp()
    domain.createPolicy(policy({ subjects: [{ type: 'user', id: ben.subject.id }], resources: ['pets'], actions: ['read'] }))
    expect(code(() => domain.listRecords({ principal: ben, dataset: 'pets' }))).toBe('forbidden')
    expect(domain.permissionsMe(ben).policies).toEqual([])
  })

  it('API keys hold grants as users do', async () => {
    const { domain, keyId } = await setUp({ key: { scope: 'all', read: true, write: false } })
    const principal = await domain.authenticate({ scheme: 'apikey', keyId, secret: domain.rotateKey(keyId).secret })
    expect(names(domain, principal)).toEqual(['Rex', 'Tom'])
  })

  it('a changed grant decides from the next request on', async () => {
    const { domain, ann } = await setUp({ ann: { scope: 'own', read: true, write: false } })
    expect(names(domain, ann)).toEqual(['Rex'])
    domain.setRoleGrant(ann.subject, { scope: 'all', read: true, write: false })
    expect(names(domain, ann)).toEqual(['Rex', 'Tom'])
    domain.setRoleGrant(ann.subject, { scope: 'all', read: false, write: false })
    expect(code(() => domain.listRecords({ principal: ann, dataset: 'pets' }))).toBe('forbidden')
  })

  it('/me shows the grant as the one policy it stands for; the check endpoint decides by it', async () => {
    const { domain, ann, annPet, benPet } = await setUp({ ann: { scope: 'own', read: true, write: true } })
    expect(domain.permissionsMe(ann).policies).toEqual([
      expect.objectContaining({ subjects: [ann.subject], resources: ['pets'], actions: ['read', 'create', 'update', 'delete'], filters: [{ owner: true }] }),
    ])
    const check = (record: { [field: string]: unknown }) => domain.checkPermission({ subject: ann.subject, dataset: 'pets', action: 'update', record }).allowed
    expect([check(annPet), check(benPet)]).toEqual([true, false])
  })

  it.each([
    [{ scope: 'mine', read: true, write: true }, 'scope must be own or all.'],
    [{ scope: 'own', read: 'yes', write: true }, 'read and write must be true or false.'],
    [null, 'a role grant is an object {scope, read, write}.'],
  ])('refuses the grant %j: %s', async (grant, message) => {
    const { domain, ann } = await setUp()
    expect(() => domain.setRoleGrant(ann.subject, grant as unknown as RoleGrant)).toThrow(message)
  })

  it('refuses a grant for a user or key that does not exist', async () => {
    const { domain } = await setUp()
    expect(code(() => domain.setRoleGrant({ type: 'user', id: 'usr_nobody00000000000000' }, { scope: 'own', read: true, write: true }))).toBe('not_found')
    expect(code(() => domain.setRoleGrant({ type: 'api_key', id: 'key_nobody00000000000000' }, { scope: 'own', read: true, write: true }))).toBe('not_found')
  })

  it('under policies (the contract) grants are not consulted', async () => {
    const t = testDomain()
    t.domain.createDataset({ name: 'pets' })
    const user = await t.domain.createUser({ email: 'ann@example.com', password: 'password-1' })
    t.domain.setRoleGrant({ type: 'user', id: user.id }, { scope: 'all', read: true, write: true })
    const principal: Principal = { subject: { type: 'user', id: user.id }, role: 'user', namespaces: [] }
    expect(code(() => t.domain.listRecords({ principal, dataset: 'pets' }))).toBe('forbidden')
  })
})
