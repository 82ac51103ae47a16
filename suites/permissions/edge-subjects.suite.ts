// Edge subjects of the evaluator (PERM-020): subjects that never existed or are gone, an
// inactive user, an admin key — answered from policies alone, 200 every time. And typed
// subject ids (PERM-021): a namespace, a user and a key that share one id string are three
// different subjects, at the data endpoints, in /v1/permissions/me and in the check.
import { describe, expect, it } from 'vitest'
import { api, given, target, type Client } from '../harness/index.ts'
import { keySubject, subjectRef, uniqueNamespace, userSubject, type Subject } from './support.ts'

type PolicySubject = { type: 'api_key' | 'user' | 'namespace'; id: string }

const NOTHING = { allowed: false, matched_policies: [] }

/** The evaluator's answer to "may `subject` read `dataset`?" (matched ids sorted); 200 or the case fails. */
async function check(subject: PolicySubject, dataset: string): Promise<{ allowed: boolean; matched_policies: string[] }> {
  const response = await api.admin.post('/v1/permissions/check', { subject, dataset, action: 'read' })
  expect(response.status, `check for ${subject.type} ${subject.id} answered ${response.status} ${response.text.slice(0, 200)}`).toBe(200)
  return { allowed: response.body.allowed, matched_policies: [...response.body.matched_policies].sort() }
}

/** A read policy on `dataset` naming `subject`; its id. */
async function readPolicy(dataset: string, subject: PolicySubject): Promise<string> {
  return (await given.policy({ subjects: [subject], resources: [dataset], actions: ['read'], filters: [] })).id
}

/** The ids of the caller's effective policies (GET /v1/permissions/me). */
async function myPolicies(client: Client): Promise<string[]> {
  const me = await client.get('/v1/permissions/me')
  expect(me.status).toBe(200)
  return me.body.policies.map((policy) => policy.id).sort()
}

const unknownId = (prefix: 'usr' | 'key') => `${prefix}_${target.faker.string.alphanumeric(22)}`

describe('PERM-020 the evaluator answers for any subject, from policies only', () => {
  it('PERM-020 a user or key that never existed is allowed nothing, even by a policy naming its id: 200, not 404 or 5xx', async () => {
    const dataset = await given.dataset()
    for (const subject of [{ type: 'user', id: unknownId('usr') }, { type: 'api_key', id: unknownId('key') }] as const) {
      await readPolicy(dataset, subject)
      expect(await check(subject, dataset), `${subject.type} ${subject.id}`).toEqual(NOTHING)
    }
  })

  it('PERM-020 a deleted user and a revoked key are allowed nothing from then on', async () => {
    const dataset = await given.dataset()
    const namespace = uniqueNamespace()
    const user = await given.user({ namespaces: [namespace] })
    const key = await given.key()
    const forUser = [await readPolicy(dataset, { type: 'user', id: user.id }), await readPolicy(dataset, { type: 'namespace', id: namespace })].sort()
    const forKey = [await readPolicy(dataset, { type: 'api_key', id: key.id })]
    expect(await check({ type: 'user', id: user.id }, dataset)).toEqual({ allowed: true, matched_policies: forUser })
    expect(await check({ type: 'api_key', id: key.id }, dataset)).toEqual({ allowed: true, matched_policies: forKey })

    expect((await api.admin.delete('/v1/users/{id}', { params: { id: user.id } })).status).toBe(204)
    expect((await api.admin.delete('/v1/keys/{id}', { params: { id: key.id } })).status).toBe(204)
    expect(await check({ type: 'user', id: user.id }, dataset), 'the deleted user').toEqual(NOTHING)
    expect(await check({ type: 'api_key', id: key.id }, dataset), 'the revoked key').toEqual(NOTHING)
  })

  it('PERM-020 an inactive user is answered by its policies, those of its namespaces included', async () => {
    const dataset = await given.dataset()
    const namespace = uniqueNamespace()
    const user = await given.user({ namespaces: [namespace] })
    const policies = [await readPolicy(dataset, { type: 'user', id: user.id }), await readPolicy(dataset, { type: 'namespace', id: namespace })].sort()
    expect((await api.admin.patch('/v1/users/{id}', { active: false }, { params: { id: user.id } })).status).toBe(200)
    expect(await check({ type: 'user', id: user.id }, dataset)).toEqual({ allowed: true, matched_policies: policies })
  })

  it('PERM-020 an admin key subject is allowed only what the policies naming it grant', async () => {
    const dataset = await given.dataset()
    const admin = await given.key({ role: 'admin' })
    expect(await check({ type: 'api_key', id: admin.id }, dataset), 'a new admin key, no policy').toEqual(NOTHING)
    expect(await check({ type: 'api_key', id: target.admin.key }, dataset), "the run's admin key, no policy").toEqual(NOTHING)
    const named = await readPolicy(dataset, { type: 'api_key', id: admin.id })
    expect(await check({ type: 'api_key', id: admin.id }, dataset)).toEqual({ allowed: true, matched_policies: [named] })
  })
})

describe('PERM-014 permissions/me of an admin key', () => {
  it('PERM-014 an admin key sees role admin and only the policies naming it (admin-ness is not a policy)', async () => {
    const dataset = await given.dataset()
    const admin = await given.key({ role: 'admin' })
    const client = api.as(await given.bearer(admin))
    const me = await client.get('/v1/permissions/me')
    expect(me.body).toMatchObject({ subject: { type: 'api_key', id: admin.id }, role: 'admin', policies: [] })
    const named = await readPolicy(dataset, { type: 'api_key', id: admin.id })
    expect(await myPolicies(client)).toEqual([named])
  })
})

describe('PERM-021 each subject type is its own namespace of ids', () => {
  /** `caller` is not reached by `policy`: refused at the data endpoint, absent from /me and from its check. */
  async function expectNotReached(caller: Subject, dataset: string, policy: string): Promise<void> {
    await given.record(dataset, 'admin', { n: 1 })
    const listed = await caller.client.get('/v1/datasets/{name}/records', { params: { name: dataset } })
    expect(listed.status, `listing ${dataset}: no policy of ${caller.caller.type} ${caller.caller.id} grants read`).toBe(403)
    expect(await myPolicies(caller.client), '/v1/permissions/me').not.toContain(policy)
    expect(await check(subjectRef(caller), dataset), 'the check').toEqual(NOTHING)
  }

  it('PERM-021 a namespace named like a key id does not reach that key', async () => {
    const dataset = await given.dataset()
    const key = await keySubject()
    const policy = await readPolicy(dataset, { type: 'namespace', id: key.caller.id })
    await expectNotReached(key, dataset, policy)
    expect(await check({ type: 'namespace', id: key.caller.id }, dataset), 'the namespace itself').toEqual({ allowed: true, matched_policies: [policy] })
  })

  it('PERM-021 a namespace named like a user id does not reach that user', async () => {
    const dataset = await given.dataset()
    const user = await userSubject([uniqueNamespace()])
    const policy = await readPolicy(dataset, { type: 'namespace', id: user.caller.id })
    await expectNotReached(user, dataset, policy)
  })

  it('PERM-021 a user or key subject named like a namespace does not reach its members', async () => {
    const dataset = await given.dataset()
    const namespace = uniqueNamespace()
    const member = await userSubject([namespace])
    const asUser = await readPolicy(dataset, { type: 'user', id: namespace })
    const asKey = await readPolicy(dataset, { type: 'api_key', id: namespace })
    await expectNotReached(member, dataset, asUser)
    expect(await myPolicies(member.client)).not.toContain(asKey)
    expect(await check({ type: 'namespace', id: namespace }, dataset), 'no namespace policy names it').toEqual(NOTHING)
  })
})
