import { describe, expect, it } from 'vitest'
import { InvalidCredentialsError } from './errors.ts'
import { ADDRESS, bearer, testDomain, withRefresh } from './testing.ts'

const alice = { email: 'Alice@Example.com', password: 'alice-password' }
const signInAlice = (password = alice.password) => ({ email: 'alice@example.com', password, address: ADDRESS })

describe('users', () => {
  it('creates a user without ever answering the password or its hash', async () => {
    const { domain, store } = testDomain()
    const user = await domain.createUser({ ...alice, namespaces: ['registered', 'registered'] })
    expect(user).toEqual({
      id: expect.stringMatching(/^usr_[A-Za-z0-9]{20}$/), email: alice.email, namespaces: ['registered'], active: true,
      created_at: expect.any(String), updated_at: expect.any(String),
    })
    const stored = store.users.get(user.id)!
    expect(stored.passwordHash).toMatch(/^scrypt\$1024\$8\$1\$/)
    const answers = JSON.stringify([user, domain.getUser(user.id), domain.listUsers(), await domain.updateUser(user.id, { namespaces: [] })])
    expect(answers).not.toContain(alice.password)
    expect(answers).not.toContain(stored.passwordHash.split('$')[5])
  })

  it.each([
    ['same case', 'Alice@Example.com'],
    ['other case', 'ALICE@example.COM'],
  ])('refuses a taken email (%s) on create and on update', async (_name, email) => {
    const { domain } = testDomain()
    await domain.createUser(alice)
    const bob = await domain.createUser({ email: 'bob@example.com', password: 'bob-password' })
    await expect(domain.createUser({ email, password: 'whatever-1' })).rejects.toMatchObject({ code: 'conflict' })
    await expect(domain.updateUser(bob.id, { email })).rejects.toMatchObject({ code: 'conflict' })
  })

  it('lets a user keep (or re-case) their own email', async () => {
    const { domain } = testDomain()
    const user = await domain.createUser(alice)
    await expect(domain.updateUser(user.id, { email: 'ALICE@example.com' })).resolves.toMatchObject({ email: 'ALICE@example.com' })
  })

  it.each([
    ['a short password', { email: 'x@example.com', password: 'short' }],
    ['a bad email', { email: 'not-an-email', password: 'long-enough' }],
  ])('refuses %s', async (_name, input) => {
    const { domain } = testDomain()
    await expect(domain.createUser(input)).rejects.toMatchObject({ code: 'invalid_request' })
  })

  it('refuses an empty patch and unknown ids', async () => {
    const { domain } = testDomain()
    const user = await domain.createUser(alice)
    await expect(domain.updateUser(user.id, {})).rejects.toMatchObject({ code: 'invalid_request' })
    await expect(domain.updateUser('usr_UnknownUnknownUnknown', { active: true })).rejects.toMatchObject({ code: 'not_found' })
    expect(() => domain.getUser('usr_UnknownUnknownUnknown')).toThrow(expect.objectContaining({ code: 'not_found' }))
  })

  it('frees the old email after an email change', async () => {
    const { domain } = testDomain()
    const user = await domain.createUser(alice)
    await domain.updateUser(user.id, { email: 'alice2@example.com' })
    await expect(domain.signIn(signInAlice())).rejects.toBeInstanceOf(InvalidCredentialsError)
    await expect(domain.createUser({ ...alice, password: 'another-pass' })).resolves.toBeDefined()
  })
})

describe('sign-in', () => {
  it('signs a live user in; sub is the user id; namespaces come from the user', async () => {
    const { domain } = testDomain()
    const user = await domain.createUser({ ...alice, namespaces: ['registered'] })
    const { tokens, rateLimit } = await domain.signIn(signInAlice())
    expect(rateLimit).toMatchObject({ limit: 30, remaining: 29 })
    expect(await domain.authenticate(bearer(tokens.access_token))).toEqual({
      subject: { type: 'user', id: user.id }, role: 'user', namespaces: ['registered'], sessionId: tokens.session_id,
    })
  })

  it('refuses a wrong password, an unknown email and an inactive user alike', async () => {
    const { domain } = testDomain()
    await domain.createUser(alice)
    await domain.createUser({ email: 'off@example.com', password: 'off-password', active: false })
    const errors = await Promise.all([
      domain.signIn(signInAlice('wrong-password')),
      domain.signIn({ email: 'nobody@example.com', password: alice.password, address: ADDRESS }),
      domain.signIn({ email: 'off@example.com', password: 'off-password', address: ADDRESS }),
    ].map((attempt) => attempt.catch((error: unknown) => error)))
    for (const error of errors) expect(error).toBeInstanceOf(InvalidCredentialsError)
    expect(new Set(errors.map((error) => (error as Error).message)).size).toBe(1)
  })

  it('takes a password change at once', async () => {
    const { domain } = testDomain()
    const user = await domain.createUser(alice)
    await domain.updateUser(user.id, { password: 'brand-new-password' })
    await expect(domain.signIn(signInAlice())).rejects.toMatchObject({ code: 'invalid_credentials' })
    await expect(domain.signIn(signInAlice('brand-new-password'))).resolves.toBeDefined()
  })

  it('locks an account after 5 failures, even for the right password, until the window ends', async () => {
    const { domain, clock } = testDomain()
    await domain.createUser(alice)
    for (let i = 0; i < 5; i++) await expect(domain.signIn(signInAlice('wrong-password'))).rejects.toMatchObject({ code: 'invalid_credentials' })
    const locked = await domain.signIn(signInAlice()).catch((error: unknown) => error)
    expect(locked).toMatchObject({ code: 'rate_limited', scope: 'signin_failures', retryAfterSeconds: 300 })
    // Another account is not affected.
    await expect(domain.signIn({ email: 'other@example.com', password: 'x', address: ADDRESS })).rejects.toMatchObject({ code: 'invalid_credentials' })
    clock.advance(299)
    await expect(domain.signIn(signInAlice())).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 1 })
    clock.advance(1)
    await expect(domain.signIn(signInAlice())).resolves.toBeDefined()
  })

  it('counts failures per account case-insensitively', async () => {
    const { domain } = testDomain()
    await domain.createUser(alice)
    for (const email of ['alice@example.com', 'ALICE@example.com', 'Alice@Example.com', 'alice@EXAMPLE.com', 'aLiCe@example.com']) {
      await expect(domain.signIn({ email, password: 'nope-nope', address: ADDRESS })).rejects.toMatchObject({ code: 'invalid_credentials' })
    }
    await expect(domain.signIn(signInAlice())).rejects.toMatchObject({ code: 'rate_limited' })
  })
})

describe('deactivation and deletion end sessions', () => {
  it('deactivation revokes every session; reactivation does not revive them', async () => {
    const { domain } = testDomain()
    const user = await domain.createUser(alice)
    const first = (await domain.signIn(signInAlice())).tokens
    const second = (await domain.signIn(signInAlice())).tokens
    await domain.updateUser(user.id, { active: false })
    for (const tokens of [first, second]) {
      await expect(domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
    }
    await expect(domain.signIn(signInAlice())).rejects.toMatchObject({ code: 'invalid_credentials' })
    await domain.updateUser(user.id, { active: true })
    await expect(domain.authenticate(bearer(first.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
    await expect(domain.refresh({ refreshToken: withRefresh(second).refresh_token })).rejects.toMatchObject({ code: 'token_revoked' })
    await expect(domain.signIn(signInAlice())).resolves.toBeDefined()
  })

  it('deletion revokes every session and the user is not_found after', async () => {
    const { domain } = testDomain()
    const user = await domain.createUser(alice)
    const { tokens } = await domain.signIn(signInAlice())
    domain.deleteUser(user.id)
    await expect(domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
    expect(() => domain.getUser(user.id)).toThrow(expect.objectContaining({ code: 'not_found' }))
    expect(() => domain.deleteUser(user.id)).toThrow(expect.objectContaining({ code: 'not_found' }))
    expect(domain.listUsers()).toEqual([])
  })
})
