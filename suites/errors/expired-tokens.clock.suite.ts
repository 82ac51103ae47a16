// ERR-007 with time passing: an expired access token is 401 token_expired and carries the
// Bearer challenge like every other 401 (the expiry rule itself is the auth suites' job).
import { describe, expect, it } from 'vitest'
import { api, expectProblem, given, target, time } from '../harness/index.ts'

describe('ERR-007 every 401 carries WWW-Authenticate, expired tokens included', () => {
  it('ERR-007 an expired access token is 401 token_expired with the Bearer challenge', async () => {
    const ttl = target.discovery.access_token_ttl
    time.require(ttl + 1)
    const tokens = await given.session(await given.key())
    const client = api.as({ bearer: tokens.access_token })
    expect((await client.get('/v1/sessions')).status, 'the token works before it expires').toBe(200)
    await time.advance(ttl + 1)
    // expectProblem checks the challenge on every 401.
    expectProblem(await client.get('/v1/sessions'), 401, 'token_expired')
  })
})
