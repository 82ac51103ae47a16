// ERR-006: forged access tokens are 401 invalid_token. Each forgery starts from a real
// token of this run (real iss, sub, sid, exp), so only the forged part can be the reason
// for a refusal; the real token is checked to work first. The real token is renewed while
// the file runs (given.bearer): an expired one would give the target another reason.
import { base64url, exportSPKI, generateKeyPair, importJWK, SignJWT, type JWTPayload } from 'jose'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { api, decodeJwt, expectProblem, given, target, type Jwks, type SessionCredential, type TokenResponse } from '../harness/index.ts'

let session: SessionCredential
let tokens: TokenResponse
let claims: JWTPayload
let kid: string | undefined
let jwks: Jwks

beforeAll(async () => {
  session = await given.bearer(await given.key())
  const response = await api.anonymous.get('/.well-known/jwks.json')
  expect(response.status).toBe(200)
  jwks = response.body as Jwks
})

beforeEach(async () => {
  tokens = await session.tokens()
  const decoded = decodeJwt(tokens.access_token)
  claims = decoded.payload
  kid = decoded.header.kid
})

const encode = (value: unknown) => base64url.encode(JSON.stringify(value))
const segments = (token: string) => token.split('.') as [string, string, string]

/** The published key the real token names (or the first one). */
function publishedKey() {
  return jwks.keys.find((key) => key.kid === kid) ?? jwks.keys[0]!
}

async function signHs256(secret: Uint8Array, payload: JWTPayload): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) }).sign(secret)
}

/** [what the forgery is, how to make it from the real token]. */
const FORGERIES: [string, () => Promise<string>][] = [
  ['with a payload changed to another subject (the admin key)', async () => {
    const [header, , signature] = segments(tokens.access_token)
    return `${header}.${encode({ ...claims, sub: target.admin.key })}.${signature}`
  }],
  ['with a later exp in the payload', async () => {
    const [header, , signature] = segments(tokens.access_token)
    return `${header}.${encode({ ...claims, exp: Number(claims.exp) + 86_400 })}.${signature}`
  }],
  ['with alg none and an empty signature', async () => `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`],
  ['with alg None (case variant) and an empty signature', async () => `${encode({ alg: 'None', typ: 'JWT' })}.${encode(claims)}.`],
  ['with alg none keeping the original signature', async () => `${encode({ alg: 'none' })}.${encode(claims)}.${segments(tokens.access_token)[2]}`],
  ['with the signature stripped', async () => segments(tokens.access_token).slice(0, 2).join('.') + '.'],
  ['signed HS256 with the published public key as PEM (algorithm confusion)', async () => {
    const key = await importJWK({ ...publishedKey(), ext: true } as never, publishedKey().alg ?? 'EdDSA', { extractable: true })
    const pem = await exportSPKI(key as CryptoKey)
    return signHs256(new TextEncoder().encode(pem), claims)
  }],
  ['signed HS256 with the published public key bytes (algorithm confusion)', async () => {
    const { x, n } = publishedKey()
    return signHs256(base64url.decode(x ?? n ?? ''), claims)
  }],
  ['signed HS256 with the published JWK as JSON (algorithm confusion)', async () => signHs256(new TextEncoder().encode(JSON.stringify(publishedKey())), claims)],
  ['signed by a foreign Ed25519 key under the published kid', async () => {
    const { privateKey } = await generateKeyPair('Ed25519')
    return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', ...(kid ? { kid } : {}) }).sign(privateKey)
  }],
  ['signed by a foreign Ed25519 key with its own kid', async () => {
    const { privateKey } = await generateKeyPair('Ed25519')
    return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: 'attacker-key' }).sign(privateKey)
  }],
  ['with the signature of another real token', async () => {
    const other = await given.session(await given.key())
    const [header, payload] = segments(tokens.access_token)
    return `${header}.${payload}.${segments(other.access_token)[2]}`
  }],
]

describe('ERR-006 forged tokens are 401 invalid_token', () => {
  it('ERR-006 the real token the forgeries start from is accepted', async () => {
    expect((await api.as({ bearer: tokens.access_token }).get('/v1/sessions')).status).toBe(200)
  })

  it.each(FORGERIES)('ERR-006 ERR-007 a token %s is 401 invalid_token', async (_, forge) => {
    const forged = await forge()
    expect(forged).not.toBe(tokens.access_token)
    expectProblem(await api.as({ bearer: forged }).get('/v1/sessions'), 401, 'invalid_token')
  })

  it('ERR-006 a payload forged to the admin subject gains nothing on an admin operation', async () => {
    const [header, , signature] = segments(tokens.access_token)
    const forged = `${header}.${encode({ ...claims, sub: target.admin.key })}.${signature}`
    expectProblem(await api.as({ bearer: forged }).get('/v1/keys'), 401, 'invalid_token')
  })
})
