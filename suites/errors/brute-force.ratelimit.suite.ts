// ERR-011: after the declared number of failed sign-ins for one account, every sign-in
// for it — the right password included — is 429 until the window ends; then the right
// password works. The numbers come from discovery's signin_failures entry.
import { describe, expect, it } from 'vitest'
import { api, expectProblem, given, notVerified, raw, requireFeature, target, time, type GivenUser, type RateLimit } from '../harness/index.ts'

function failuresLimit(): RateLimit {
  const limit = target.discovery.rate_limits.find((entry) => entry.scope === 'signin_failures' && entry.per === 'account')
  expect(limit, 'ERR-011: discovery must declare a signin_failures limit per account').toBeDefined()
  // The attempts of a case must not run into the per-credential or per-address sign-in limits first.
  const signinLimits = target.discovery.rate_limits.filter((entry) => entry.scope === 'signin').map((entry) => entry.limit)
  if (signinLimits.some((other) => other <= limit!.limit + 4)) notVerified('a sign-in limit is lower than the failures limit plus the case’s extra attempts')
  return limit!
}

const signIn = (user: { email: string }, password: string) => api.anonymous.post('/v1/sessions', { email: user.email, password })

/** Fails `count` sign-ins for the user; each must be an ordinary 401 within the limit. */
async function failSignIns(user: GivenUser, count: number): Promise<void> {
  for (let attempt = 1; attempt <= count; attempt += 1) {
    expectProblem(await signIn(user, `${user.password}-wrong`), 401, 'invalid_credentials')
  }
}

function retryAfterOf(response: { headers: Record<string, string> }): number {
  const value = Number(response.headers['retry-after'])
  expect(Number.isInteger(value) && value >= 1, `Retry-After ${response.headers['retry-after']}`).toBe(true)
  return value
}

describe('ERR-011 brute-force sign-in limit', () => {
  it('ERR-011 ERR-009 ERR-010 after the declared failures even the right password is 429 until the window ends, then it works', async () => {
    const limit = failuresLimit()
    time.require(limit.window_seconds)
    const user = await given.user()
    const bystander = await given.user()
    await failSignIns(user, limit.limit)

    expectProblem(await signIn(user, `${user.password}-wrong`), 429, 'rate_limited')
    const locked = await signIn(user, user.password)
    expectProblem(locked, 429, 'rate_limited')
    const retryAfter = retryAfterOf(locked)
    expect(retryAfter).toBeLessThanOrEqual(limit.window_seconds)
    expect((await signIn(bystander, bystander.password)).status, 'another account is not locked').toBe(201)

    const halfway = Math.floor(retryAfter / 2)
    if (halfway > 0) {
      await time.advance(halfway)
      expectProblem(await signIn(user, user.password), 429, 'rate_limited')
    }
    await time.advance(retryAfter - halfway)
    expect((await signIn(user, user.password)).status, 'the right password after the window').toBe(201)
  })

  it('ERR-011 the lock holds for HTTP Basic sign-in too', async () => {
    requireFeature('basic_signin')
    const limit = failuresLimit()
    const user = await given.user()
    await failSignIns(user, limit.limit)
    const response = await raw({ method: 'POST', path: '/v1/sessions', as: { basic: { email: user.email, password: user.password } }, headers: { accept: 'application/json' } })
    expectProblem(response, 429, 'rate_limited')
  })

  it('ERR-011 failures below the limit do not lock the account', async () => {
    const limit = failuresLimit()
    const user = await given.user()
    await failSignIns(user, limit.limit - 1)
    expect((await signIn(user, user.password)).status).toBe(201)
  })
})
