// createMock: a running mock server in this process — what `authconform mock` starts and
// what tests and the suites' embedded mode use.
import type { AddressInfo } from 'node:net'
import { createJournal } from './control/journal.ts'
import type { Feature } from './domain/contract.ts'
import { defectHooks } from './defects/catalogue.ts'
import { createDomain } from './domain/index.ts'
import type { Domain } from './domain/types.ts'
import { loadFixtures } from './fixtures/load-fixtures.ts'
import { createSeedableClock, seedFixtures } from './fixtures/seed-fixtures.ts'
import { buildApp } from './http/app.ts'
import { createLogger } from './logging.ts'
import { resolveOptions, type MockOptions } from './options.ts'
import { createMemoryStore } from './store/memory-store.ts'

export type { MockOptions } from './options.ts'

export interface RunningMock {
  /** Base URL, e.g. http://127.0.0.1:4010 (no trailing slash); also the token issuer. */
  url: string
  /** Where the rendered contract documentation is served. */
  docsUrl: string
  /** The admin key in use (from the options or the fixtures). */
  adminKey: string
  adminSecret: string
  /** The optional features discovery lists. */
  features: Feature[]
  /** The defects switched on (empty for a correct mock). */
  defects: string[]
  /** Stops listening and ends open connections. */
  close(): Promise<void>
}

/** The listening socket could not be opened (port taken, host unknown, no permission). */
export class MockListenError extends Error {
  readonly code = 'listen_failed'
  override name = 'MockListenError'
}

export async function createMock(input: MockOptions = {}): Promise<RunningMock> {
  const options = resolveOptions(input)
  const defects = [...new Set(options.defects ?? [])]
  const broken = defectHooks(defects)
  const fixtures = await loadFixtures(options.fixtures)
  const admin =
    options.adminKey !== undefined && options.adminSecret !== undefined
      ? { id: options.adminKey, secret: options.adminSecret }
      : undefined
  const features: Feature[] = ['apikey_scheme', 'basic_signin', ...(options.control ? (['test_control'] as const) : [])]
  const time = createSeedableClock()
  const logger = createLogger({ level: options.logLevel, pretty: options.prettyLogs, destination: options.logDestination })
  if (defects.length > 0) logger.warn({ defects }, 'defects switched on: this mock is deliberately broken')

  // The issuer is the listening URL, known only once listening (port 0 = any free port);
  // requests that arrive before the fixtures are in wait for `ready`.
  let domain: Domain | undefined
  let markReady!: () => void
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })
  const app = await buildApp({
    logger,
    clock: time.clock,
    domain: () => domain!,
    ready,
    seams: broken.http,
    ...(options.control && { control: { journal: createJournal(time.clock), token: options.controlToken } }),
  })

  try {
    await app.listen({ port: options.port, host: options.host })
  } catch (error) {
    await app.close()
    throw new MockListenError(`cannot listen on ${options.host}:${options.port} (${(error as Error).message})`)
  }
  const url = (options.publicUrl ?? listeningUrl(options.host, app.server.address() as AddressInfo)).replace(/\/+$/, '')
  try {
    domain = createDomain({
      clock: time.clock,
      store: createMemoryStore(),
      config: {
        issuer: url,
        accessTokenTtl: options.accessTtl,
        refreshTokenTtl: options.refreshTtl,
        rateLimits: options.rateLimits,
        passwordHashCost: options.passwordHashCost,
        features,
      },
      seams: broken.domain,
    })
    await seedFixtures(domain, fixtures, time, admin)
  } catch (error) {
    await app.close()
    throw error
  }
  markReady()

  const adminKey = admin ?? fixtures.adminKey
  return {
    url,
    docsUrl: `${url}/docs/`,
    adminKey: adminKey.id,
    adminSecret: adminKey.secret,
    features,
    defects,
    close: () => app.close(),
  }
}

function listeningUrl(host: string, address: AddressInfo): string {
  // A wildcard address is not a place to send requests to; loopback is.
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  return `http://${shown}:${address.port}`
}
