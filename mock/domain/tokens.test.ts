import { generateKeyPairSync } from 'node:crypto'
import { SignJWT, base64url, decodeJwt, decodeProtectedHeader, exportJWK, importJWK, jwtVerify } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { createDomain } from './index.ts'
import { ADDRESS, ADMIN_ID, ADMIN_SECRET, ISSUER, bearer, clientSession, testDomain, type TestDomain } from './testing.ts'
import type { JsonWebKeyInput } from './types.ts'

let signingJwk: JsonWebKeyInput
beforeAll(async () => {
  signingJwk = (await exportJWK(generateKeyPairSync('ed25519').privateKey)) as JsonWebKeyInput
})

/** A domain whose signing key the test holds, so it can forge tokens with it. */
function keyedDomain(): TestDomain {
  return testDomain({ signingKey: { privateJwk: signingJwk, kid: 'test-kid' } })
}

/** A second instance over the same state and key: it has no cached tokens, so it verifies in full. */
function freshInstance(t: TestDomain) {
  return createDomain({ clock: t.clock, store: t.store, config: t.config })
}

async function sign(claims: Record<string, unknown>, header: { alg: string; kid?: string }, key: Parameters<SignJWT['sign']>[0]) {
  return new SignJWT(claims).setProtectedHeader(header).sign(key)
}

describe('issued access tokens', () => {
  it('carry iss, sub, sid, iat, exp, jti and verify against the JWKS', async () => {
    const { domain, clock } = testDomain()
    const { key, tokens } = await clientSession(domain)
    const jwk = domain.jwks().keys[0]!
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' })
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: 'EdDSA', kid: jwk.kid })
    const { payload } = await jwtVerify(tokens.access_token, await importJWK(jwk as never, 'EdDSA'), {
      issuer: domain.discovery().issuer,
      currentDate: new Date(clock.now()),
    })
    expect(payload).toMatchObject({ iss: ISSUER, sub: key.id, sid: tokens.session_id, iat: clock.nowSeconds() })
    expect(payload.exp! - payload.iat!).toBe(3600)
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, refresh_expires_in: 43_200 })
    expect(tokens.refresh_token).toMatch(/^rt_[A-Za-z0-9_-]{43}$/)
    expect(tokens.session_id).toMatch(/^ses_[A-Za-z0-9]{20}$/)
  })

  it('have unique jti and a new session per exchange', async () => {
    const { domain } = testDomain()
    const a = await clientSession(domain)
    const b = await domain.exchangeApiKey({ apiKey: a.key.id, apiSecret: a.key.secret, address: ADDRESS })
    expect(b.tokens.session_id).not.toBe(a.tokens.session_id)
    expect(decodeJwt(b.tokens.access_token).jti).not.toBe(decodeJwt(a.tokens.access_token).jti)
  })

  it.each([
    ['access TTL 300', 300],
    ['access TTL 7200', 7200],
  ])('follow the configured lifetime (%s)', async (_name, ttl) => {
    const { domain } = testDomain({ accessTokenTtl: ttl })
    const { tokens } = await clientSession(domain)
    const claims = decodeJwt(tokens.access_token)
    expect(tokens.expires_in).toBe(ttl)
    expect(claims.exp! - claims.iat!).toBe(ttl)
    expect(domain.discovery().access_token_ttl).toBe(ttl)
  })
})

describe('authenticate(bearer)', () => {
  it('answers the principal of a live token, accepted at TTL − 1 s', async () => {
    const { domain, clock } = testDomain()
    const { key, tokens } = await clientSession(domain)
    clock.advance(3599)
    expect(await domain.authenticate(bearer(tokens.access_token))).toEqual({
      subject: { type: 'api_key', id: key.id }, role: 'client', namespaces: [], sessionId: tokens.session_id,
    })
  })

  it.each([
    ['cached (issued here)', false],
    ['verified in full (other instance)', true],
  ])('answers token_expired from exp on, %s', async (_name, fresh) => {
    const t = keyedDomain()
    const { tokens } = await clientSession(t.domain)
    const verifier = fresh ? freshInstance(t) : t.domain
    t.clock.advance(3600)
    await expect(verifier.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_expired' })
    t.clock.advance(1)
    await expect(verifier.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_expired' })
  })

  it('accepts a genuine token on an instance that has not seen it, then caches it', async () => {
    const t = keyedDomain()
    const { tokens } = await clientSession(t.domain)
    const other = freshInstance(t)
    const before = other.stateCounts()['tokenCache']
    expect(await other.authenticate(bearer(tokens.access_token))).toMatchObject({ sessionId: tokens.session_id })
    expect(other.stateCounts()['tokenCache']).toBe(before! + 1)
  })

  it('answers token_revoked at once when the session ends, cache or not', async () => {
    const t = keyedDomain()
    const { tokens } = await clientSession(t.domain)
    const other = freshInstance(t)
    await other.authenticate(bearer(tokens.access_token))
    await t.domain.revoke({ token: tokens.access_token })
    await expect(t.domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
    await expect(other.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
  })

  it('answers at once, not as a promise, a token verified before; a promise for one seen the first time', async () => {
    const t = keyedDomain()
    const { tokens } = await clientSession(t.domain)
    const other = freshInstance(t)
    const first = other.authenticate(bearer(tokens.access_token))
    expect(first).toBeInstanceOf(Promise)
    const principal = await first
    // What lets a request take no promise and no microtask turn before its answer (the kept-list lane).
    expect(other.authenticate(bearer(tokens.access_token))).toEqual(principal)
    expect(t.domain.authenticate(bearer(tokens.access_token))).not.toBeInstanceOf(Promise)
  })

  it('answers token_revoked after a reset of sessions', async () => {
    const { domain } = testDomain()
    const { tokens } = await clientSession(domain)
    domain.reset('sessions')
    await expect(domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
  })
})

describe('forged and foreign tokens are invalid_token', () => {
  const claimsFor = (t: TestDomain, sub: string, sid: string, extra: Record<string, unknown> = {}) => ({
    iss: ISSUER, sub, sid, iat: t.clock.nowSeconds(), exp: t.clock.nowSeconds() + 600, jti: 'forged', ...extra,
  })

  async function forge(kind: string): Promise<{ t: TestDomain; token: string }> {
    const t = keyedDomain()
    const { key, tokens } = await clientSession(t.domain)
    const claims = claimsFor(t, key.id, tokens.session_id)
    const [header, payload, signature] = tokens.access_token.split('.') as [string, string, string]
    const ours = await importJWK(signingJwk as never, 'EdDSA')
    const foreign = generateKeyPairSync('ed25519').privateKey
    const encode = (value: unknown) => base64url.encode(JSON.stringify(value))
    switch (kind) {
      case 'tampered payload':
        return { t, token: `${header}.${encode({ ...decodeJwt(tokens.access_token), sub: ADMIN_ID })}.${signature}` }
      case 'alg none':
        return { t, token: `${encode({ alg: 'none', kid: 'test-kid' })}.${payload}.` }
      case 'HS256 with the public key': {
        const publicX = base64url.decode(t.domain.jwks().keys[0]!.x!)
        return { t, token: await sign(claims, { alg: 'HS256', kid: 'test-kid' }, publicX) }
      }
      case 'HS256 with the JWK text as secret': {
        const secret = new TextEncoder().encode(JSON.stringify(t.domain.jwks().keys[0]))
        return { t, token: await sign(claims, { alg: 'HS256', kid: 'test-kid' }, secret) }
      }
      case 'foreign key with our kid':
        return { t, token: await sign(claims, { alg: 'EdDSA', kid: 'test-kid' }, foreign) }
      case 'unknown kid':
        return { t, token: await sign(claims, { alg: 'EdDSA', kid: 'someone-else' }, ours) }
      case 'no kid':
        return { t, token: await sign(claims, { alg: 'EdDSA' }, ours) }
      case 'wrong issuer':
        return { t, token: await sign(claimsFor(t, key.id, tokens.session_id, { iss: 'http://evil' }), { alg: 'EdDSA', kid: 'test-kid' }, ours) }
      case 'future nbf':
        return { t, token: await sign(claimsFor(t, key.id, tokens.session_id, { nbf: t.clock.nowSeconds() + 60 }), { alg: 'EdDSA', kid: 'test-kid' }, ours) }
      case 'missing sid': {
        const { sid: _sid, ...rest } = claims
        return { t, token: await sign(rest, { alg: 'EdDSA', kid: 'test-kid' }, ours) }
      }
      case 'not a JWT':
        return { t, token: 'definitely-not-a-jwt' }
      case 'a refresh token':
        return { t, token: tokens.refresh_token }
      default:
        throw new Error(kind)
    }
  }

  it.each([
    'tampered payload', 'alg none', 'HS256 with the public key', 'HS256 with the JWK text as secret',
    'foreign key with our kid', 'unknown kid', 'no kid', 'wrong issuer', 'future nbf', 'missing sid',
    'not a JWT', 'a refresh token',
  ])('%s', async (kind) => {
    const { t, token } = await forge(kind)
    await expect(t.domain.authenticate(bearer(token))).rejects.toMatchObject({ code: 'invalid_token' })
  })

  it('a token signed with our key and our claims is accepted (the forging harness is sound)', async () => {
    const t = keyedDomain()
    const { key, tokens } = await clientSession(t.domain)
    const ours = await importJWK(signingJwk as never, 'EdDSA')
    const token = await sign(claimsFor(t, key.id, tokens.session_id), { alg: 'EdDSA', kid: 'test-kid' }, ours)
    expect(await t.domain.authenticate(bearer(token))).toMatchObject({ sessionId: tokens.session_id })
  })
})

describe('authenticate(apikey)', () => {
  it('accepts a live key and secret, refuses a wrong secret', async () => {
    const { domain } = testDomain()
    expect(await domain.authenticate({ scheme: 'apikey', keyId: ADMIN_ID, secret: ADMIN_SECRET })).toEqual({
      subject: { type: 'api_key', id: ADMIN_ID }, role: 'admin', namespaces: [],
    })
    await expect(domain.authenticate({ scheme: 'apikey', keyId: ADMIN_ID, secret: `sk_${'B'.repeat(40)}` })).rejects.toMatchObject({
      code: 'invalid_credentials',
    })
  })

  it('is refused as invalid_token when the feature is off', async () => {
    const { domain } = testDomain({ features: [] })
    await expect(domain.authenticate({ scheme: 'apikey', keyId: ADMIN_ID, secret: ADMIN_SECRET })).rejects.toMatchObject({
      code: 'invalid_token',
    })
  })
})

describe('revoke', () => {
  it.each(['access', 'refresh'])('ends the session of an %s token', async (which) => {
    const { domain } = testDomain()
    const { tokens } = await clientSession(domain)
    await domain.revoke({ token: which === 'access' ? tokens.access_token : tokens.refresh_token })
    await expect(domain.authenticate(bearer(tokens.access_token))).rejects.toMatchObject({ code: 'token_revoked' })
    await expect(domain.refresh({ refreshToken: tokens.refresh_token })).rejects.toMatchObject({ code: 'token_revoked' })
  })

  it.each(['', 'garbage', 'rt_unknown', 'a.b.c'])('ignores %j', async (token) => {
    const { domain } = testDomain()
    await expect(domain.revoke({ token })).resolves.toBeUndefined()
  })

  it('also works with an expired access token (the session still ends)', async () => {
    const { domain, clock } = testDomain()
    const { tokens } = await clientSession(domain)
    clock.advance(3601)
    await domain.revoke({ token: tokens.access_token })
    await expect(domain.refresh({ refreshToken: tokens.refresh_token })).rejects.toMatchObject({ code: 'token_revoked' })
  })
})
