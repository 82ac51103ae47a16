// DISC-006: the test-control extension resets exactly what each scope says — sessions and
// tokens, rate-limit windows, the clock, the data — and the clock moves back only by a
// reset. Serial (a reset ends everyone's sessions, a clock reset everyone's time); each
// case observes a live token, a locked account (a closed or open window), the clock's
// offset and whether data made before is still there. Under a profile that declares no rate
// limits there is no window to close or keep: the cases check the rest, and the rate_limits
// scope's case is not applicable.
import { describe, expect, it } from 'vitest'
import {
  api,
  caseAssumes,
  control,
  expectAccessAccepted,
  expectAccessRejected,
  expectProblem,
  given,
  notVerified,
  profileLacks,
  requireFeature,
  target,
  time,
  type GivenUser,
} from '../harness/index.ts'

type Scope = 'all' | 'clock' | 'sessions' | 'rate_limits' | 'data'

function requireControl(): void {
  requireFeature('test_control')
  if (target.timeStrategy !== 'control') notVerified(`the run does not drive the control extension (--time ${target.timeStrategy})`)
}

async function reset(scope: Scope): Promise<void> {
  const response = await control.request('POST', '/__control/reset', { scope })
  expect(response.status, `POST /__control/reset {scope: ${scope}} answered ${response.status} ${response.text.slice(0, 200)}`).toBe(204)
}

async function clockOffset(): Promise<number> {
  const response = await control.request('GET', '/__control/clock')
  expect(response.status).toBe(200)
  return response.body.offset_seconds
}

const signIn = (user: GivenUser, password = user.password) => api.anonymous.post('/v1/sessions', { email: user.email, password })

const WINDOWS = { rate_limits: ['declared'] } as const

/**
 * A user whose failed sign-ins fill the signin_failures window: the right password is 429
 * until it closes. Undefined under a profile that declares no rate limits (no window to lock).
 */
async function lockedUser(): Promise<GivenUser | undefined> {
  if (profileLacks(WINDOWS)) return undefined
  const limit = target.discovery.rate_limits.find((entry) => entry.scope === 'signin_failures' && entry.per === 'account')
  if (!limit) notVerified('discovery declares no signin_failures limit to lock an account with')
  const user = await given.user()
  for (let attempt = 0; attempt < limit.limit; attempt += 1) await signIn(user, `${user.password}-wrong`)
  expectProblem(await signIn(user), 429, 'rate_limited')
  return user
}

/** Whether the account's failure window is still open after a reset: its right password is 429 or 201. */
async function stillLocked(user: GivenUser): Promise<boolean> {
  const response = await signIn(user)
  expect([201, 429], `the right password answered ${response.status}`).toContain(response.status)
  return response.status === 429
}

/** An exchange of the run's admin key: a session of a subject every data reset keeps. */
function adminSession() {
  return given.session({ id: target.admin.key, secret: target.admin.secret })
}

describe('DISC-006 the control extension resets exactly what each scope says', () => {
  it('DISC-006 rate_limits closes every window and nothing else: sessions, clock and data stay', async () => {
    requireControl()
    caseAssumes(WINDOWS)
    const key = await given.key()
    const tokens = await given.session(key)
    const user = (await lockedUser())!
    const offset = await clockOffset()
    await reset('rate_limits')
    expect(await stillLocked(user), 'the failure window is closed').toBe(false)
    await expectAccessAccepted(tokens.access_token)
    expect(await clockOffset()).toBe(offset)
  })

  it('DISC-006 sessions ends every session and nothing else: windows, clock and data stay', async () => {
    requireControl()
    const key = await given.key()
    const tokens = await given.session(key)
    const user = await lockedUser()
    const offset = await clockOffset()
    await reset('sessions')
    await expectAccessRejected(tokens.access_token, 'token_revoked')
    const refresh = await api.anonymous.post('/v1/auth/refresh', { refresh_token: tokens.refresh_token })
    expect(refresh.status, 'the refresh token of an ended session').toBe(401)
    if (user) expect(await stillLocked(user), 'the failure window stays').toBe(true)
    expect(await clockOffset()).toBe(offset)
    expect((await api.anonymous.post('/v1/auth/token', { api_key: key.id, api_secret: key.secret })).status, 'the key is still there').toBe(200)
  })

  it('DISC-006 data returns the data to the initial state and ends every session, the admin key’s too', async () => {
    requireControl()
    const admin = await adminSession()
    const key = await given.key()
    const offset = await clockOffset()
    await reset('data')
    await expectAccessRejected(admin.access_token, 'token_revoked')
    expect((await adminSession()).access_token, 'the configured admin key is part of the initial state').toBeTruthy()
    expect((await api.admin.get('/v1/keys/{id}', { params: { id: key.id } })).status, 'a key made after the start is gone').toBe(404)
    expect(await clockOffset()).toBe(offset)
  })

  it('DISC-006 clock returns to real time, ends every session and closes every window; data stays', async () => {
    requireControl()
    await time.advance(5)
    const key = await given.key()
    const tokens = await given.session(key)
    const user = await lockedUser()
    await reset('clock')
    expect(await clockOffset()).toBe(0)
    // Issued under the advanced clock: its iat would lie in the future of the clock now.
    await expectAccessRejected(tokens.access_token, 'token_revoked')
    if (user) expect(await stillLocked(user), 'the failure window is closed').toBe(false)
    expect((await api.anonymous.post('/v1/auth/token', { api_key: key.id, api_secret: key.secret })).status, 'the key is still there').toBe(200)
  })

  it('DISC-006 all does everything: clock, sessions, windows and data', async () => {
    requireControl()
    await time.advance(5)
    const admin = await adminSession()
    const key = await given.key()
    const user = (await lockedUser()) ?? (await given.user())
    await reset('all')
    expect(await clockOffset()).toBe(0)
    await expectAccessRejected(admin.access_token, 'token_revoked')
    expect((await api.admin.get('/v1/keys/{id}', { params: { id: key.id } })).status, 'a key made after the start is gone').toBe(404)
    // The user is gone with the data: its sign-in is 401, not a 429 of a window that stayed.
    expectProblem(await signIn(user), 401, 'invalid_credentials')
  })

  it('DISC-006 the clock does not move back by an advance: a negative one is 400 and changes nothing', async () => {
    requireControl()
    const offset = await clockOffset()
    expectProblem(await control.request('POST', '/__control/clock', { advance_seconds: -1 }), 400, 'invalid_request')
    expect(await clockOffset()).toBe(offset)
  })
})
