// The mock's request validation reads `format: email` as the contract does (an RFC 5321
// mailbox, openapi/formats.ts): every address of the table is created or refused as the
// table says, dev@localhost included, and a user is found by it again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAILBOXES } from '../../openapi/mailbox-table.ts'
import { EMBEDDED_VERIFY_OPTIONS } from '../options.ts'
import { expectProblem, startTestMock, type TestMock } from './test-support.ts'

let mock: TestMock
let admin: string
beforeAll(async () => {
  mock = await startTestMock({ passwordHashCost: EMBEDDED_VERIFY_OPTIONS.passwordHashCost })
  admin = await mock.adminToken()
})
afterAll(() => mock?.close())

describe('POST /v1/users', () => {
  it.each(MAILBOXES)('%s is %s (%s)', async (email, valid) => {
    const reply = await mock.call('POST', '/v1/users', { token: admin, body: { email, password: 'long-enough-password' } })
    if (valid) expect(reply.status, reply.text).toBe(201)
    else {
      expectProblem(reply, 400, 'invalid_request')
      expect(reply.body.errors).toContainEqual(expect.objectContaining({ in: 'body', path: '/email' }))
    }
  })
})

describe('a user at a single-label domain', () => {
  it('is changed to, signs in, and is read back with the address as given', async () => {
    const created = await mock.call('POST', '/v1/users', { token: admin, body: { email: 'first@intranet', password: 'long-enough-password' } })
    expect(created.status).toBe(201)
    const patched = await mock.call('PATCH', `/v1/users/${created.body.id}`, { token: admin, body: { email: 'second@localhost' } })
    expect(patched.status).toBe(200)
    expect(await mock.signIn('second@localhost', 'long-enough-password')).toEqual(expect.any(String))
    expect((await mock.call('GET', `/v1/users/${created.body.id}`, { token: admin })).body.email).toBe('second@localhost')
  })
})
