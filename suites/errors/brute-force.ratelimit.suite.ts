// ERR-011: after the declared number of failed sign-ins for one account, every sign-in
// for it — the right password included — is 429 until the window ends; then the right
// password works. The window starts at the account's first failure, never earlier. The
// numbers come from discovery's signin_failures entry.
import { describe, expect, it } from 'vitest'
import {
  advanceTo,
  answeredWithinOneSecond,
  api,
  atSecond,
  crediting,
  expectProblem,
  given,
  notVerified,
  raw,
  requireExactInstants,
  requireFeature,
  target,
  time,
  type GivenUser,
  type RateLimit,
} from '../harness/index.ts'

/** The signin_failures limit, if a case's `extraAttempts` beyond it stay under the sign-in limits. */
function failuresLimit(extraAttempts = 4): RateLimit {
  const limit = target.discovery.rate_limits.find((entry) => entry.scope === 'signin_failures' && entry.per === 'account')
  expect(limit, 'ERR-011: discovery must declare a signin_failures limit per account').toBeDefined()
  // The attempts of a case must not run into the per-credential or per-address sign-in limits first.
  const signinLimits = target.discovery.rate_limits.filter((entry) => entry.scope === 'signin').map((entry) => entry.limit)
  if (signinLimits.some((other) => other <= limit!.limit + extraAttempts)) notVerified('a sign-in limit is lower than the failures limit plus the case’s extra attempts')
  return limit!
}

/** The target clock's current whole second. */
async function currentSecond(): Promise<number> {
  return Math.floor((await time.now()).getTime() / 1000)
}

const signIn = (user: { email: string }, password: string) => api.anonymous.post('/v1/sessions', { email: user.email, password })

/** Fails `count` sign-ins for the user; each must be an ordinary 401 within the limit. */
async function failSignIns(user: GivenUser, count: number): Promise<void> {
  for (let attempt = 1; attempt <= count; attempt += 1) {
    expectProblem(await signIn(user, `${user.password}-wrong`), 401, 'invalid_credentials')
  }
}

/** ERR-009: the whole seconds of Retry-After (a failure here is ERR-009's). */
function retryAfterOf(response: { headers: Record<string, string> }): number {
  return crediting(['ERR-009'], () => {
    const value = Number(response.headers['retry-after'])
    expect(Number.isInteger(value) && value >= 1, `Retry-After ${response.headers['retry-after']}`).toBe(true)
    return value
  })
}

describe('ERR-011 brute-force sign-in limit', () => {
  it('ERR-011 ERR-009 ERR-010 after the declared failures even the right password is 429 until the window ends, then it works', async () => {
    const limit = failuresLimit()
    time.require(limit.window_seconds)
    const user = await given.user()
    const bystander = await given.user()
    await failSignIns(user, limit.limit)

    // The lock itself is ERR-011's rule; its Retry-After ERR-009's, waiting it out ERR-010's.
    const locked = await crediting(['ERR-011'], async () => {
      expectProblem(await signIn(user, `${user.password}-wrong`), 429, 'rate_limited')
      const answer = await signIn(user, user.password)
      expectProblem(answer, 429, 'rate_limited')
      return answer
    })
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

  it('ERR-011 the window starts at the first failure: failures just before a window from the first sign-in would end lock the account for a whole window', async () => {
    requireExactInstants()
    const limit = failuresLimit(8)
    const window = limit.window_seconds
    if (window < 6) notVerified(`a ${window} s failures window leaves no room between a sign-in, the failures and a window's end`)
    const user = await given.user()
    const before = await currentSecond()
    expect((await signIn(user, user.password)).status, 'a successful sign-in first').toBe(201)
    const after = await currentSecond()
    // Two seconds before a window opened by that sign-in would end.
    await advanceTo(before + window - 2, 'at-least')
    const firstFailure = await currentSecond()
    await failSignIns(user, 1)
    const firstFailed = await currentSecond()
    await failSignIns(user, limit.limit - 1)

    // Past the end of any window the sign-in could have opened: still locked.
    await advanceTo(after + window + 1, 'at-least')
    const { response: locked, second } = await answeredWithinOneSecond(() => signIn(user, user.password))
    expectProblem(locked, 429, 'rate_limited')
    const end = second + retryAfterOf(locked)
    expect(end - window, `the lock (ending at ${end} by Retry-After) counts its window from the first failure, in ${firstFailure}..${firstFailed}`)
      .toBeGreaterThanOrEqual(firstFailure)
    expect(end - window, `the lock (ending at ${end} by Retry-After) counts its window from the first failure, in ${firstFailure}..${firstFailed}`)
      .toBeLessThanOrEqual(firstFailed)
    await atSecond(end - 1, async () => expectProblem(await signIn(user, user.password), 429, 'rate_limited'))
    await atSecond(end, async () => expect((await signIn(user, user.password)).status, 'the right password at the very end of the window').toBe(201))
  })

  it('ERR-011 failures below the limit do not lock the account', async () => {
    const limit = failuresLimit()
    const user = await given.user()
    await failSignIns(user, limit.limit - 1)
    expect((await signIn(user, user.password)).status).toBe(201)
  })
})
