// Token attacks over real sockets that the conformance suite does not already make
// (alg none, HS256 confusion, foreign keys and tampered payloads are ERR-006 cases in
// suites/errors/forged-tokens.suite.ts): tokens of another mock instance, injected kids,
// key-fetching headers (jku, x5u, jwk), and single-claim forgeries signed with the
// issuer's own key — each must be 401 with the Bearer challenge, and nothing may be fetched.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { decodeJwt, exportJWK, type JWTPayload } from 'jose'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMock, type RunningMock } from '../mock/server.ts'
import { freePort } from '../support/free-port.ts'
import { startKeyedMock, type KeyedMock } from './support/keyed-mock.ts'

interface Answer {
  status: number
  challenge: string | undefined
  code: string | undefined
}

async function call(baseUrl: string, path: string, init: { token?: string; body?: unknown } = {}): Promise<Answer & { body: any }> {
  const response = await request(`${baseUrl}${path}`, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: {
      ...(init.token !== undefined && { authorization: `Bearer ${init.token}` }),
      ...(init.body !== undefined && { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const body = (await response.body.json().catch(() => undefined)) as any
  const challenge = response.headers['www-authenticate']
  return { status: response.statusCode, challenge: challenge === undefined ? undefined : String(challenge), code: body?.code, body }
}

async function adminTokens(baseUrl: string, key: string, secret: string): Promise<{ access_token: string; refresh_token: string }> {
  const answer = await call(baseUrl, '/v1/auth/token', { body: { api_key: key, api_secret: secret } })
  if (answer.status !== 200) throw new Error(`token exchange on ${baseUrl} answered ${answer.status}`)
  return answer.body
}

function expectRefused(answer: Answer, code = 'invalid_token'): void {
  expect({ status: answer.status, code: answer.code }).toEqual({ status: 401, code })
  expect(answer.challenge).toMatch(/^Bearer realm="authconform", error="invalid_token"/)
}

/** A server that would hand out an attacker's keys, and counts who asks. */
async function startKeyServer(jwks: object): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0
  const server: Server = createServer((_request, response) => {
    hits += 1
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

describe('tokens of another mock instance', () => {
  let victim: RunningMock
  let other: RunningMock
  let impostor: RunningMock
  let impostorPort: number
  beforeAll(async () => {
    victim = await createMock({ port: 0 })
    other = await createMock({ port: 0 })
    // Same issuer URL as the victim, its own signing key: only the signature can tell them apart.
    impostorPort = await freePort()
    impostor = await createMock({ port: impostorPort, publicUrl: victim.url })
  })
  afterAll(async () => {
    await Promise.all([victim?.close(), other?.close(), impostor?.close()])
  })

  it('the victim accepts its own admin token (the comparison is sound)', async () => {
    const own = await adminTokens(victim.url, victim.adminKey, victim.adminSecret)
    expect((await call(victim.url, '/v1/keys', { token: own.access_token })).status).toBe(200)
  })

  it('an access token minted by another instance (same fixtures, same admin key id) is 401', async () => {
    const foreign = await adminTokens(other.url, other.adminKey, other.adminSecret)
    expect(other.adminKey).toBe(victim.adminKey)
    expectRefused(await call(victim.url, '/v1/keys', { token: foreign.access_token }))
  })

  it('an access token of an instance announcing the same issuer is 401', async () => {
    // The impostor announces the victim's URL; its tokens come from its own socket.
    const foreign = await adminTokens(`http://127.0.0.1:${impostorPort}`, impostor.adminKey, impostor.adminSecret)
    expect(decodeJwt(foreign.access_token).iss).toBe(victim.url)
    expectRefused(await call(victim.url, '/v1/keys', { token: foreign.access_token }))
  })

  it("a refresh token of another instance is 401 and ends nothing on the victim", async () => {
    const own = await adminTokens(victim.url, victim.adminKey, victim.adminSecret)
    const foreign = await adminTokens(other.url, other.adminKey, other.adminSecret)
    expectRefused(await call(victim.url, '/v1/auth/refresh', { body: { refresh_token: foreign.refresh_token } }))
    expect((await call(victim.url, '/v1/keys', { token: own.access_token })).status).toBe(200)
    expect((await call(other.url, '/v1/keys', { token: foreign.access_token })).status).toBe(200)
  })
})

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** Compact JWS by hand: no library between the test and the bytes (jose refuses odd headers). */
function signed(payload: JWTPayload, header: Record<string, unknown>, key: KeyObject): string {
  const input = `${base64url({ alg: 'EdDSA', typ: 'JWT', ...header })}.${base64url(payload)}`
  return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`
}

describe('forged headers and claims, signed with the issuer key or an attacker key', () => {
  let mock: KeyedMock
  let keyServer: Awaited<ReturnType<typeof startKeyServer>>
  let claims: JWTPayload
  let issuerKey: KeyObject
  const attacker = generateKeyPairSync('ed25519')

  beforeAll(async () => {
    mock = await startKeyedMock()
    const attackerJwk = { ...(await exportJWK(attacker.publicKey)), kid: 'attacker', alg: 'EdDSA', use: 'sig' }
    keyServer = await startKeyServer({ keys: [attackerJwk, { ...attackerJwk, kid: mock.kid }] })
    const tokens = await adminTokens(mock.url, mock.admin.key, mock.admin.secret)
    claims = decodeJwt(tokens.access_token)
    issuerKey = createPrivateKey({ key: mock.privateJwk as never, format: 'jwk' })
  })
  afterAll(async () => {
    await Promise.all([mock?.close(), keyServer?.close()])
  })

  it('the claims of a real token, re-signed with the issuer key under its kid, are accepted (the forging is sound)', async () => {
    const token = signed(claims, { kid: mock.kid }, issuerKey)
    expect((await call(mock.url, '/v1/keys', { token })).status).toBe(200)
  })

  const SAME_KEY: [string, (now: number) => JWTPayload, string][] = [
    ['a wrong iss', () => ({ ...claims, iss: 'http://attacker.test' }), 'invalid_token'],
    ['no iss', () => ({ ...claims, iss: undefined }), 'invalid_token'],
    ['nbf in the future', (now) => ({ ...claims, nbf: now + 600 }), 'invalid_token'],
    ['exp in the past', (now) => ({ ...claims, iat: now - 7200, exp: now - 3600 }), 'token_expired'],
    ['no exp', () => ({ ...claims, exp: undefined }), 'invalid_token'],
    ['exp as a string', (now) => ({ ...claims, exp: String(now + 600) as never }), 'invalid_token'],
    ['no sid', () => ({ ...claims, sid: undefined }), 'invalid_token'],
    // A genuine signature over a session the server does not have: as good as an ended session.
    ['a sid of no session', () => ({ ...claims, sid: 'ses_doesNotExist000000000' }), 'token_revoked'],
  ]
  it.each(SAME_KEY)('signed with the issuer key but %s is 401', async (_name, payload, code) => {
    const token = signed(payload(Math.floor(Date.now() / 1000)), { kid: mock.kid }, issuerKey)
    expectRefused(await call(mock.url, '/v1/keys', { token }), code)
  })

  const INJECTED_KIDS: unknown[] = ['../../x', '../../../../dev/null', "' OR '1'='1", 'http://attacker.test/jwks.json', '', '\u0000', 0, ['x'], { kid: 'x' }]
  it.each(INJECTED_KIDS.map((kid) => [JSON.stringify(kid), kid]))('kid %s with an attacker signature is 401', async (_name, kid) => {
    const token = signed(claims, { kid }, attacker.privateKey)
    expectRefused(await call(mock.url, '/v1/keys', { token }))
  })

  it.each([['../../x'], ["' OR '1'='1"]])('kid %s with the issuer signature is 401 (only the published kid resolves)', async (kid) => {
    const token = signed(claims, { kid }, issuerKey)
    expectRefused(await call(mock.url, '/v1/keys', { token }))
  })

  it('jku / x5u pointing at an attacker key server are 401 and never fetched', async () => {
    for (const header of [
      { kid: 'attacker', jku: `${keyServer.url}/jwks.json` },
      { kid: mock.kid, jku: `${keyServer.url}/jwks.json` },
      { kid: mock.kid, x5u: `${keyServer.url}/cert.pem` },
    ]) {
      const token = signed(claims, header, attacker.privateKey)
      expectRefused(await call(mock.url, '/v1/keys', { token }))
    }
    expect(keyServer.hits()).toBe(0)
  })

  it('an attacker public key embedded in the header (jwk) is 401', async () => {
    const jwk = { ...(await exportJWK(attacker.publicKey)), kid: mock.kid }
    for (const kid of [mock.kid, 'attacker']) {
      const token = signed(claims, { kid, jwk }, attacker.privateKey)
      expectRefused(await call(mock.url, '/v1/keys', { token }))
    }
  })

  it('a critical header extension the server does not understand is 401 even when signed by the issuer', async () => {
    const token = signed(claims, { kid: mock.kid, crit: ['x-attack'], 'x-attack': true }, issuerKey)
    expectRefused(await call(mock.url, '/v1/keys', { token }))
  })
})
