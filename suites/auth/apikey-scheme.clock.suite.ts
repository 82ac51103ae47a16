// The ApiKey scheme with time passing: a key whose expires_at has passed is refused like
// any other dead key (AUTH-013), as the token endpoint refuses it (KEY-006).
import { describe, expect, it } from 'vitest'
import { advanceTo, api, expectProblem, given, requireFeature, time } from '../harness/index.ts'

/** Seconds the test key lives: long enough to be used once before it expires. */
const LIFETIME = 60

describe('AUTH-013 the ApiKey scheme refuses an expired key', () => {
  it('AUTH-013 a key is accepted until its expires_at and answered 401 invalid_credentials after it', async () => {
    requireFeature('apikey_scheme')
    time.require(LIFETIME + 1)
    const expiresAt = Math.floor((await time.now()).getTime() / 1000) + LIFETIME
    const key = await given.key({ expires_at: new Date(expiresAt * 1000).toISOString() })
    const client = api.as({ apiKey: key })
    expect((await client.get('/v1/sessions')).status, 'the key works before it expires').toBe(200)
    await advanceTo(expiresAt + 1, 'at-least')
    expectProblem(await client.get('/v1/sessions'), 401, 'invalid_credentials')
  })
})
