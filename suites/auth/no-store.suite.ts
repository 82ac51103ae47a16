// AUTH-014 (SHOULD): an answer that carries a token or a secret must not be kept by any
// cache on the way (RFC 6749 §5.1, RFC 9111 §5.2.2.5).
import { describe, expect, it } from 'vitest'
import { api, given, onCleanup, target, type ApiResponse } from '../harness/index.ts'

const answersWithSecrets: Array<[string, () => Promise<ApiResponse<any>>]> = [
  ['POST /v1/auth/token', async () => {
    const key = await given.key()
    return api.anonymous.post('/v1/auth/token', { api_key: key.id, api_secret: key.secret })
  }],
  ['POST /v1/auth/refresh', async () => {
    const tokens = await given.session(await given.key())
    return api.anonymous.post('/v1/auth/refresh', { refresh_token: tokens.refresh_token })
  }],
  ['POST /v1/sessions', async () => {
    const user = await given.user()
    return api.anonymous.post('/v1/sessions', { email: user.email, password: user.password })
  }],
  ['POST /v1/keys', async () => {
    // Created directly (given.key keeps the response to itself); removed like given's keys.
    const response = await api.admin.post('/v1/keys', { description: `ac-${target.runId}-no-store`, role: 'client' })
    if (response.status === 201) onCleanup(() => api.admin.delete('/v1/keys/{id}', { params: { id: response.body.id } }))
    return response
  }],
  ['POST /v1/keys/{id}/rotate', async () => {
    const key = await given.key()
    return api.admin.post('/v1/keys/{id}/rotate', undefined, { params: { id: key.id } })
  }],
]

describe('AUTH-014 token responses are not cached', () => {
  it.each(answersWithSecrets)('AUTH-014 %s answers with Cache-Control: no-store', async (_case, call) => {
    const response = await call()
    expect(response.status).toBeLessThan(300)
    expect(response.headers['cache-control'] ?? '(none)').toMatch(/(^|,)\s*no-store\s*(,|$)/i)
  })
})
