/**
 * The conformance harness: the only module suites import (`from '../harness/index.ts'`).
 *
 * A suite file is `suites/<area>/<topic>.suite.ts`, run by `authconform verify` against
 * one target. Conventions:
 * - one `describe` per requirement or rule; every test name starts with the requirement
 *   IDs it checks: `it('AUTH-008 a reused refresh token revokes its session', …)`
 *   (several allowed: 'KEY-004 AUTH-012 …'). suites/harness/coverage.test.ts fails on a
 *   MUST without a case and on unknown IDs.
 * - cases that advance the clock live in `*.clock.suite.ts` (an advance expires everyone's
 *   tokens), rate-limit cases in `*.ratelimit.suite.ts` (each file starts with fresh
 *   windows): both run after every other file, one at a time (serial-turns.ts).
 * - a caller a case needs (a subject to act as, an admin key of its own, a live token to
 *   start from) comes from `given.bearer(key | user)`: its session is obtained again once
 *   half its access token's lifetime has passed, so a file or a slow set-up outlasting a
 *   short access_token_ttl never fails a case with an expired token. `given.session` /
 *   `given.signIn` hand out exactly one token: only for cases whose point is that token
 *   (its lifetime, rotation, revocation, its session, a change seen by the token already
 *   held), which obtain it in the case itself.
 * - create data only through `given.*` (named with the run id, removed at the end of the
 *   file unless --keep); the ordinary suites together stay well under the embedded
 *   mock's per-minute limits (mock/options.ts: 300 token exchanges and 150 sign-ins from
 *   this address, 400 data requests of one subject — the admin is the busiest).
 * - never `test.concurrent`; talk HTTP only through `api` / `raw` (every response is
 *   checked against the OpenAPI bundle: an undocumented status, a body or header that
 *   breaks its schema, or a non-problem error is recorded as an ERR-017 failure, with the
 *   response; the case goes on, and its own assertions decide its own requirements).
 * - assert only what the case's requirement or the called operation's documented responses
 *   state: expectProblem refuses (SuiteError) a status or code the operation does not document.
 * - a case that checks several rules credits a failure to the rule that decided it:
 *   `crediting(['ERR-009'], () => …assertions)` (or `{ except: [...] }`), or
 *   `creditFailureTo(ids)` just before failing (the differential case); the reports then
 *   fail those of its requirements only. expectProblem does so for its own checks.
 * - a case that cannot be checked ends through `requireFeature`, `time.require`,
 *   `notApplicable` or `notVerified` — never by passing.
 *
 * What it offers:
 * - `target`: baseUrl, discovery, features, admin {key, secret}, runId, seed, faker (seeded
 *   per file), timeStrategy ('control' | 'wait' | 'skip'), maxWaitSeconds.
 * - `api.as(credential)` / `api.admin` / `api.anonymous`: typed clients — `get(path,
 *   {params, query})`, `post|put|patch(path, body, {params})`, `delete(path, {params})`
 *   with contract path templates; `send({method, path, params, query, body})` for
 *   deliberately invalid JSON bodies. `raw({method, path, headers, body, as})` sends
 *   bytes as given. Credential: {bearer} | {tokens} (given.bearer's renewing session) |
 *   {apiKey: {id, secret}} | {basic: {email, password}} | 'anonymous'. Every answer is
 *   {status, headers (lower-case), body, text, request: {method, path}}.
 * - `given.key|session|bearer|user|signIn|dataset|policy|record`, `onCleanup(step)`.
 * - `time.require(s)`, `time.advance(s)`, `advanceTo(epochSeconds, side)`, `time.now()`,
 *   `time.resetRateLimits()`; `control.request(method, '/__control/…', body)`.
 * - `contractPaths` (the bundle's path templates) and `allowedMethodsOf(path)` (the
 *   `Allow` the contract gives a concrete path, ERR-019).
 * - exact instants (control clock only, otherwise not verified): `requireExactInstants()`,
 *   `atSecond(epochSecond, probe)` (runs the probe inside that second of the target's
 *   clock), `answeredWithinOneSecond(send)` (the answer and the target second it came in).
 * - `expectProblem(res, status, code)`, `decodeJwt(token)`, token probes
 *   (`expectAccessAccepted|Rejected`, `expectRefreshed|RefreshRejected`).
 * - error classes with `code`: TargetError, SetupError, SuiteError.
 *
 * @example
 * import { describe, expect, it } from 'vitest'
 * import { api, decodeJwt, expectProblem, given } from '../harness/index.ts'
 *
 * describe('AUTH-007 a used refresh token is dead', () => {
 *   it('AUTH-007 presenting a refresh token twice is 401', async () => {
 *     const key = await given.key()
 *     const first = await given.session(key)
 *     const refreshed = await api.anonymous.post('/v1/auth/refresh', { refresh_token: first.refresh_token })
 *     expect(refreshed.status).toBe(200)
 *     expect(decodeJwt(refreshed.body.access_token).payload.sid).toBe(first.session_id)
 *     const again = await api.anonymous.post('/v1/auth/refresh', { refresh_token: first.refresh_token })
 *     expectProblem(again, 401, 'token_revoked')
 *     const keys = await api.admin.get('/v1/keys/{id}', { params: { id: key.id } })
 *     expect(keys.body).not.toHaveProperty('secret')
 *     await api.as({ bearer: first.access_token }).get('/v1/sessions')
 *   })
 * })
 */
import { adminClient } from './admin.ts'
import { clientAs, raw, type Client } from './client.ts'
import type { Credential } from './credentials.ts'

export const api: {
  /** A client that authenticates every call with `credential`. */
  as(credential: Credential): Client
  /**
   * The run's admin key; keeps its session live by itself (a session of its own, opened
   * when the target refuses the current one as expired or revoked, refreshed once half-expired).
   */
  readonly admin: Client
  /** No Authorization header. */
  readonly anonymous: Client
} = {
  as: clientAs,
  admin: adminClient,
  anonymous: clientAs('anonymous'),
}

export { raw }
export { target } from './target.ts'
export { given, onCleanup, type GivenUser } from './given.ts'
export { time, control, requireFeature, notApplicable, notVerified } from './time.ts'
export { expectProblem, decodeJwt, type DecodedJwt } from './assertions.ts'
export { advanceTo, answeredWithinOneSecond, atSecond, requireExactInstants } from './advance-to.ts'
export { allowedMethodsOf, contractPaths } from './contract-check.ts'
export { expectAccessAccepted, expectAccessRejected, expectRefreshed, expectRefreshRejected } from './token-probes.ts'
export { authorizationHeader, type Credential, type SessionCredential } from './credentials.ts'
export { SetupError, SuiteError, TargetError } from './errors.ts'
export { creditFailureTo, crediting } from './case-context.ts'
export { caseAssumes, profileLacks } from './profile-hook.ts'
export type { ApiResponse, CallOptions, Client, RawRequest, UntypedRequest } from './client.ts'
export type * from './contract-types.ts'
