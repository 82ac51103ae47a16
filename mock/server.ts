// createMock: a running mock server in this process — what `authconform mock` starts and
// what tests and the suites' embedded mode use.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { profileNamed, type Profile } from '../profiles/profile.ts'
import { createJournal } from './control/journal.ts'
import { FaultTable } from './control/fault-table.ts'
import type { Feature } from './domain/contract.ts'
import { defectHooks } from './defects/catalogue.ts'
import { createDomain } from './domain/index.ts'
import type { Domain, DomainConfig } from './domain/types.ts'
import { loadFixtures, type Fixtures } from './fixtures/load-fixtures.ts'
import { createSeedableClock, seedFixtures, type AdminCredentials } from './fixtures/seed-fixtures.ts'
import { buildApp } from './http/app.ts'
import { routesFromContract } from './http/openapi-routes.ts'
import { createLogger } from './logging.ts'
import { resolveOptions, type MockOptions } from './options.ts'
import { digestOf, openSharedState, type SharedOptions } from './replication/shared-state.ts'
import { createMemoryStore } from './store/memory-store.ts'
import { createFront } from './profile-front/front.ts'
import { wireKeySecret } from '../profiles/translate/credentials.ts'

export type { MockOptions } from './options.ts'

export interface RunningMock {
  /** Base URL, e.g. http://127.0.0.1:4010 (no trailing slash); also the token issuer. */
  url: string
  /** Where this process listens: `url` unless a public URL (a proxy's, a balancer's) was given. */
  listeningUrl: string
  /** Where the rendered contract documentation is served. */
  docsUrl: string
  /** The admin key in use (from the options or the fixtures). */
  adminKey: string
  /** Its secret as clients present it (under a profile whose keys are one string: `<id>.<secret>`). */
  adminSecret: string
  /** The optional features discovery lists. */
  features: Feature[]
  /** The defects switched on (empty for a correct mock). */
  defects: string[]
  /** The profile whose wire format it answers (undefined: the contract's own). */
  profile?: Profile
  /** Stops listening and ends open connections. */
  close(): Promise<void>
}

/** The listening socket could not be opened (port taken, host unknown, no permission). */
export class MockListenError extends Error {
  readonly code = 'listen_failed'
  override name = 'MockListenError'
}

export async function createMock(input: MockOptions = {}): Promise<RunningMock> {
  const profile = typeof input.profile === 'string' ? profileNamed(input.profile) : input.profile
  // A profile's documented lifetimes and its fixtures are the mock's unless told otherwise.
  const options = resolveOptions({ ...lifetimesOf(profile), ...(profile?.fixtures && { fixtures: profile.fixtures }), ...input })
  const defects = [...new Set(options.defects ?? [])]
  const broken = defectHooks(defects)
  const fixtures = await loadFixtures(options.fixtures)
  const admin =
    options.adminKey !== undefined && options.adminSecret !== undefined
      ? { id: options.adminKey, secret: options.adminSecret }
      : undefined
  // Faults live in one process: replicas (a shared store) do not offer them.
  const faulty = options.control && options.store === undefined
  const features: Feature[] = [
    'apikey_scheme',
    'basic_signin',
    ...(options.control ? (['test_control'] as const) : []),
    ...(faulty ? (['test_faults'] as const) : []),
  ]
  const logger = createLogger({ level: options.logLevel, pretty: options.prettyLogs, destination: options.logDestination })
  if (defects.length > 0) logger.warn({ defects }, 'defects switched on: this mock is deliberately broken')
  // A shared store makes this process one replica of a mock (mock/replication/).
  const shared = options.store === undefined ? undefined : await openSharedState(options.store, logger)
  const time = createSeedableClock(shared && ((source) => shared.clockOver(source)))

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
    gate: shared?.gate,
    ...(options.control && {
      control: {
        journal: shared?.journal(time.clock) ?? createJournal(time.clock),
        ...(faulty && { faults: new FaultTable(routesFromContract()) }),
        token: options.controlToken,
      },
    }),
  })

  // Under a profile the contract app answers in-process behind the front, which listens.
  const front =
    profile &&
    createFront({
      profile,
      app,
      logger,
      states: { admin: () => admin ?? fixtures.adminKey, domain: () => domain! },
    })
  const close = async () => {
    if (front) await closeFront(front)
    await app.close()
    await shared?.close()
  }
  let address: AddressInfo
  try {
    address = front ? await listenFront(app, front, options.port, options.host) : await listenApp(app, options.port, options.host)
  } catch (error) {
    await close()
    throw new MockListenError(`cannot listen on ${options.host}:${options.port} (${(error as Error).message})`)
  }
  const listening = listeningUrl(options.host, address)
  const url = (options.publicUrl ?? listening).replace(/\/+$/, '')
  const config: DomainConfig = {
    issuer: url,
    accessTokenTtl: options.accessTtl,
    refreshTokenTtl: options.refreshTtl,
    rateLimits: options.rateLimits,
    passwordHashCost: options.passwordHashCost,
    features,
    ...(profile && { semantics: profile.semantics }),
  }
  try {
    if (shared === undefined) {
      domain = createDomain({ clock: time.clock, store: createMemoryStore(), config, seams: broken.domain })
      await seedFixtures(domain, fixtures, time, admin)
    } else {
      domain = await shared.join({
        options: sharedOptions(config, { profile: profile?.name, defects, fixtures, admin, controlToken: options.controlToken }),
        createDomain: (signingKey) =>
          createDomain({ clock: time.clock, store: shared.store, config: { ...config, signingKey }, seams: broken.domain, rateWindows: shared.windows }),
        seed: (fresh) => seedFixtures(fresh, fixtures, time, admin),
      })
    }
  } catch (error) {
    await close()
    throw error
  }
  markReady()

  const adminKey = admin ?? fixtures.adminKey
  return {
    url,
    listeningUrl: listening,
    docsUrl: `${url}/docs/`,
    adminKey: adminKey.id,
    adminSecret: profile ? wireKeySecret(profile, adminKey.id, adminKey.secret) : adminKey.secret,
    features,
    defects,
    ...(profile && { profile }),
    close,
  }
}

/**
 * What every replica of one store must agree on, since a token, a limit or a fixture must
 * mean the same on each. Secrets are compared by digest: the store keeps none of them.
 */
function sharedOptions(
  config: DomainConfig,
  rest: { profile: string | undefined; defects: string[]; fixtures: Fixtures; admin: AdminCredentials | undefined; controlToken: string | undefined },
): SharedOptions {
  return {
    ...config,
    profile: rest.profile,
    defects: rest.defects,
    fixtures: digestOf(JSON.stringify(rest.fixtures)),
    admin: rest.admin && { id: rest.admin.id, secret: digestOf(rest.admin.secret) },
    controlToken: digestOf(rest.controlToken),
  }
}

function lifetimesOf(profile: Profile | undefined): Pick<MockOptions, 'accessTtl' | 'refreshTtl'> {
  const tokens = profile?.document.tokens
  return {
    ...(tokens?.access?.lifetime !== undefined && { accessTtl: tokens.access.lifetime }),
    ...(tokens?.refresh?.lifetime !== undefined && { refreshTtl: tokens.refresh.lifetime }),
  }
}

async function listenApp(app: Awaited<ReturnType<typeof buildApp>>, port: number, host: string): Promise<AddressInfo> {
  await app.listen({ port, host })
  return app.server.address() as AddressInfo
}

async function listenFront(app: Awaited<ReturnType<typeof buildApp>>, front: Server, port: number, host: string): Promise<AddressInfo> {
  await app.ready()
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject)
    front.listen(port, host, () => {
      front.off('error', reject)
      resolve()
    })
  })
  return front.address() as AddressInfo
}

function closeFront(front: Server): Promise<void> {
  return new Promise((resolve) => {
    front.close(() => resolve())
    // Clients' idle keep-alive sockets must not hold the close up (as forceCloseConnections does for the app).
    front.closeAllConnections()
  })
}

function listeningUrl(host: string, address: AddressInfo): string {
  // A wildcard address is not a place to send requests to; loopback is.
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  return `http://${shown}:${address.port}`
}
