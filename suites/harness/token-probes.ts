// Whether a token still works, asked the way a client would: an access token at
// GET /v1/sessions (open to every authenticated caller; under a profile that lacks it, the
// first protected read the profile maps — profile-hook.ts), a refresh token at
// POST /v1/auth/refresh. Revocation, rotation and expiry cases all ask the same way, so a
// verdict on "dead" means the same thing in every area.
import { expect } from 'vitest'
import { expectProblem } from './assertions.ts'
import { clientAs } from './client.ts'
import type { ProblemCode, TokenResponse } from './contract-types.ts'
import { tokenProbe } from './profile-hook.ts'

function probe(accessToken: string) {
  const { path, params } = tokenProbe()
  return clientAs({ bearer: accessToken }).get(path, { params: params as never })
}

/** The access token is accepted by a protected operation. */
export async function expectAccessAccepted(accessToken: string): Promise<void> {
  const response = await probe(accessToken)
  expect(tokenProbe().accepted, `access token should be accepted, got ${response.status} ${response.text.slice(0, 200)}`).toContain(response.status)
}

/** The access token is answered 401 with `code`. */
export async function expectAccessRejected(accessToken: string, code: ProblemCode): Promise<void> {
  expectProblem(await probe(accessToken), 401, code)
}

/** Refreshing answers 200 with new tokens (which consumes `refreshToken`). */
export async function expectRefreshed(refreshToken: string): Promise<TokenResponse> {
  const response = await clientAs('anonymous').post('/v1/auth/refresh', { refresh_token: refreshToken })
  expect(response.status, `refresh should succeed, got ${response.status} ${response.text.slice(0, 200)}`).toBe(200)
  return response.body as TokenResponse
}

/** Refreshing is answered 401 with `code`. */
export async function expectRefreshRejected(refreshToken: string, code: ProblemCode): Promise<void> {
  expectProblem(await clientAs('anonymous').post('/v1/auth/refresh', { refresh_token: refreshToken }), 401, code)
}
