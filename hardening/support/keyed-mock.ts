// A mock HTTP server assembled like createMock, but with a signing key the test knows:
// only with the issuer's own private key can a test forge tokens that differ from a real
// one in a single claim (iss, nbf, exp), and so show that each claim is checked on its own.
import { generateKeyPairSync } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { createClock } from '../../mock/clock.ts'
import { DEFAULT_RATE_LIMITS } from '../../mock/domain/defaults.ts'
import { createDomain } from '../../mock/domain/index.ts'
import type { Domain, JsonWebKeyInput } from '../../mock/domain/types.ts'
import { buildApp } from '../../mock/http/app.ts'
import { createLogger } from '../../mock/logging.ts'
import { createMemoryStore } from '../../mock/store/memory-store.ts'

export interface KeyedMock {
  url: string
  admin: { key: string; secret: string }
  privateJwk: JsonWebKeyInput
  kid: string
  close(): Promise<void>
}

export async function startKeyedMock(): Promise<KeyedMock> {
  const privateJwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as unknown as JsonWebKeyInput
  const kid = 'known-test-kid'
  const clock = createClock()
  let domain: Domain | undefined
  const app = await buildApp({ logger: createLogger({ level: 'silent' }), clock, domain: () => domain!, ready: Promise.resolve() })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  domain = createDomain({
    clock,
    store: createMemoryStore(),
    config: {
      issuer: url,
      accessTokenTtl: 3600,
      refreshTokenTtl: 43_200,
      rateLimits: DEFAULT_RATE_LIMITS.map((rule) => ({ ...rule })),
      features: ['apikey_scheme', 'basic_signin'],
      signingKey: { privateJwk, kid },
    },
  })
  const admin = { key: 'key_hardeningAdmin00000000', secret: 'sk_hardeningAdminSecret00000000000000000000' }
  domain.bootstrapAdminKey({ id: admin.key, secret: admin.secret, description: 'hardening admin' })
  return { url, admin, privateJwk, kid, close: () => app.close() }
}
