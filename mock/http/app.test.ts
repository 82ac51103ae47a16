// The app's last line of defence, with a domain that fails in ways the real one should
// not: a bug becomes a logged 500 problem without internals in the body, and requests
// wait for the fixtures instead of reaching an empty domain.
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createClock } from '../clock.ts'
import type { Domain } from '../domain/types.ts'
import { createLogger } from '../logging.ts'
import { buildApp } from './app.ts'

function appWith(domain: Partial<Domain>, ready: Promise<void> = Promise.resolve()) {
  let log = ''
  const destination = new PassThrough()
  destination.on('data', (chunk) => (log += chunk))
  const app = buildApp({
    logger: createLogger({ level: 'info', destination }),
    clock: createClock(),
    domain: () => domain as Domain,
    ready,
  })
  return { app, log: () => log }
}

describe('buildApp', () => {
  it('answers an unexpected exception with a 500 internal_error problem and logs it', async () => {
    const { app, log } = appWith({
      discovery() {
        throw new TypeError('cannot read properties of undefined (reading "issuer")')
      },
    })
    const reply = await (await app).inject('/.well-known/auth-configuration')
    expect(reply.statusCode).toBe(500)
    expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(reply.json()).toEqual({
      type: 'urn:authconform:problem:internal_error',
      title: 'Internal error',
      status: 500,
      detail: 'The server failed to handle the request.',
      code: 'internal_error',
    })
    expect(reply.body).not.toMatch(/TypeError|issuer|at /)
    await new Promise((resolve) => setTimeout(resolve, 20))
    const lines = log().trim().split('\n').map((line) => JSON.parse(line))
    // Written through request.log (made when first written to): the request's id is bound.
    const error = lines.find((line) => line.msg === 'unexpected error while handling a request')
    expect(error).toMatchObject({ level: 50, reqId: expect.stringMatching(/^req-/), err: { message: expect.stringContaining('cannot read properties of undefined') } })
    expect(lines.find((line) => line.msg === 'request')).toMatchObject({ reqId: error.reqId, status: 500 })
  })

  it('answers a malformed URL with a 404 problem: it names no resource', async () => {
    const { app } = appWith({})
    const reply = await (await app).inject('/v1/users/%E0%A4%A')
    expect(reply.statusCode).toBe(404)
    expect(reply.json()).toMatchObject({ code: 'not_found', status: 404 })
  })

  it('holds requests until the domain is ready', async () => {
    let open!: () => void
    const ready = new Promise<void>((resolve) => (open = resolve))
    let seeded = false
    const { app } = appWith({ jwks: () => ({ keys: seeded ? [] : (undefined as never) }) }, ready)
    const pending = (await app).inject('/.well-known/jwks.json')
    await new Promise((resolve) => setTimeout(resolve, 50))
    seeded = true
    open()
    const reply = await pending
    expect(reply.statusCode).toBe(200)
    expect(reply.json()).toEqual({ keys: [] })
  })
})
