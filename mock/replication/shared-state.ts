// A mock's state shared through Redis (`--store redis://HOST:PORT/DB`): what createMock
// needs to be one replica of many — the store, the clock, the rate-limit windows, the
// journal and the request gate — and the joining itself. The first process to find the
// store empty seeds it (fixtures, one signing key, the options every replica must share)
// in one commit; the others load it. When the store turns out to have lost its state (a
// Redis restarted without persistence), the replicas seed it again and carry on: 503s in
// the meantime, never a crash.
import { createHash, randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { Clock } from '../clock.ts'
import type { Journal } from '../control/journal.ts'
import type { RateWindows } from '../domain/rate-limiter.ts'
import { generateSigningKey, type SigningKeyInput } from '../domain/signing-key.ts'
import { StoreUnavailableError } from '../domain/errors.ts'
import type { Domain } from '../domain/types.ts'
import { KEY_PREFIX, openRedisLink, SCRIPTS, StoreConnectError, type RedisLink } from './redis-link.ts'
import { redacted } from './store-url.ts'
import { Replica } from './replica.ts'
import { ReplicatedStore } from './replicated-store.ts'
import { createSharedClock } from './shared-clock.ts'
import { createSharedJournal } from './shared-journal.ts'
import { createSharedWindows } from './shared-windows.ts'
import type { WriterSlot } from './transaction.ts'

const SEED_LOCK = `${KEY_PREFIX}seeding`
const META = `${KEY_PREFIX}meta`
/** How long a replica waits for another one that seeds the store. */
const JOIN_TIMEOUT_MS = 60_000
const SEED_LOCK_MS = 60_000
/** Entries kept for replicas that fall behind; past them a replica loads the whole state. */
export const DEFAULT_LOG_CAP = 10_000

/** The options every replica of one store must agree on (tokens, limits and data depend on them). */
export type SharedOptions = Record<string, unknown>

/** A replica started with options that differ from those the store was seeded with. */
export class StoreMismatchError extends Error {
  readonly code = 'store_mismatch'
  override name = 'StoreMismatchError'
}

export interface JoinSetup {
  options: SharedOptions
  /** The domain over the shared store, signing with the store's key. */
  createDomain(signingKey: SigningKeyInput): Domain
  /** Puts the fixtures into a fresh domain (runs inside the seeding commit). */
  seed(domain: Domain): Promise<void>
}

export interface SharedState {
  readonly store: ReplicatedStore
  readonly windows: RateWindows
  readonly gate: Replica
  /** The replicas' clock over a real-time source (the mock's seedable one). */
  clockOver(source: () => number): Clock
  journal(clock: Clock): Journal
  /** Joins the store (seeding it when empty); resolves with this replica's domain. */
  join(setup: JoinSetup): Promise<Domain>
  close(): Promise<void>
}

export async function openSharedState(url: string, logger: Logger, logCap = DEFAULT_LOG_CAP): Promise<SharedState> {
  const link = await openRedisLink(url, {
    onOutage: (error) => logger.warn({ store: redacted(url), reason: error.message }, 'shared store unreachable: answering 503 until it is back'),
    onRecovery: () => logger.info({ store: redacted(url) }, 'shared store reachable again'),
  })
  const slot: WriterSlot = { writer: null }
  const store = new ReplicatedStore(slot, (rows) => forget(link, rows))
  let realTime: () => number = Date.now
  const clock = createSharedClock(() => realTime(), slot)
  let joined: { setup: JoinSetup; domain: Domain; signingKey: SigningKeyInput } | undefined
  let closed = false

  const gate = new Replica({
    link,
    store,
    clock,
    slot,
    logCap,
    onGone: () => {
      logger.error({ store: redacted(url) }, 'the shared store lost its state (a Redis restarted without persistence?): joining it again')
      void rejoin()
    },
  })

  /** This process's hold of the seeding lock, so that it can take it again after a lost answer. */
  const seedToken = `${process.pid}:${randomUUID()}`

  /**
   * Joins a store a replica finds seeded, or seeds it; `again`: this replica ran before. A
   * store that does not answer for a moment (a command's 2 s ran out on a busy machine) is
   * tried again until the deadline: a replica that then crashed left its --workers primary
   * nothing to serve with.
   */
  async function attach(setup: JoinSetup, again?: { domain: Domain; signingKey: SigningKeyInput }): Promise<Domain> {
    const deadline = Date.now() + JOIN_TIMEOUT_MS
    let unanswered: StoreUnavailableError | undefined
    for (;;) {
      try {
        const domain = await attachOnce(setup, again)
        if (domain !== undefined) {
          // A try that met a store seeded anew marked the replica gone: it has joined it now.
          gate.rejoined()
          return domain
        }
        unanswered = undefined
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error
        unanswered = error
      }
      if (Date.now() > deadline) {
        throw new StoreConnectError(
          unanswered === undefined
            ? `the store at ${redacted(url)} has been seeded by another replica for ${JOIN_TIMEOUT_MS / 1000} s without finishing`
            : `the store at ${redacted(url)} did not answer for ${JOIN_TIMEOUT_MS / 1000} s: ${unanswered.message}`,
        )
      }
      await new Promise((resume) => setTimeout(resume, 100))
    }
  }

  /** One try: the domain, or undefined while another replica seeds the store. */
  async function attachOnce(setup: JoinSetup, again?: { domain: Domain; signingKey: SigningKeyInput }): Promise<Domain | undefined> {
    const meta = (await link.command(['HGETALL', META])) as Record<string, string>
    if (meta.generation !== undefined) {
      checkOptions(url, JSON.parse(meta.options ?? '{}') as SharedOptions, setup.options)
      const signingKey = JSON.parse(meta.signingKey!) as SigningKeyInput
      if (again !== undefined && signingKey.kid !== again.signingKey.kid) {
        throw new StoreMismatchError(`the store at ${redacted(url)} was seeded again with another signing key; restart this replica`)
      }
      await gate.exclusively(async () => {
        gate.restart()
        await gate.reload(true)
      })
      return again?.domain ?? setup.createDomain(signingKey)
    }
    const locked =
      (await link.command(['SET', SEED_LOCK, seedToken, 'NX', 'PX', String(SEED_LOCK_MS)])) === 'OK' ||
      (await link.command(['GET', SEED_LOCK])) === seedToken
    if (!locked) return undefined
    try {
      const signingKey = again?.signingKey ?? generateSigningKey()
      const domain = again?.domain ?? setup.createDomain(signingKey)
      const generation = randomUUID()
      const meta = ['M', 'generation', generation, 'options', JSON.stringify(setup.options), 'signingKey', JSON.stringify(signingKey)] as const
      const seeded = await gate.exclusively(async () => {
        // Another replica may have seeded it and let the lock go between our look and our
        // lock. Seeding over it, the commit was refused as one for another store, and this
        // replica took itself for one whose store had lost its state. It joins it instead.
        if ((await link.run(SCRIPTS.wipe, [SEED_LOCK])) === 0) return false
        gate.restart()
        store.clearAll()
        await gate.transact(() => setup.seed(domain), new Map(), [meta])
        gate.generation = generation
        return true
      })
      return seeded ? domain : undefined
    } finally {
      await link.run(SCRIPTS.releaseLock, [SEED_LOCK, seedToken]).catch(() => undefined)
    }
  }

  async function rejoin(): Promise<void> {
    while (!closed && joined !== undefined) {
      try {
        await attach(joined.setup, joined)
        logger.info({ store: redacted(url) }, 'joined the shared store again')
        return
      } catch (error) {
        if (error instanceof StoreMismatchError) {
          logger.fatal({ reason: error.message }, 'cannot join the shared store again')
          return
        }
        await new Promise((resume) => setTimeout(resume, 500))
      }
    }
  }

  return {
    store,
    windows: createSharedWindows(link, slot),
    gate,
    clockOver(source) {
      realTime = source
      return clock
    },
    journal: (journalClock) => createSharedJournal(link, journalClock, (error) => logger.warn({ reason: error.message }, 'the shared journal missed an entry')),
    async join(setup) {
      const signingKey: { key?: SigningKeyInput } = {}
      const domain = await attach({
        ...setup,
        createDomain: (key) => {
          signingKey.key = key
          return setup.createDomain(key)
        },
      })
      joined = { setup, domain, signingKey: signingKey.key! }
      return domain
    },
    async close() {
      closed = true
      await link.close()
    },
  }
}

/** Differences between the options a store was seeded with and a joining replica's. */
function checkOptions(url: string, stored: SharedOptions, mine: SharedOptions): void {
  const names = [...new Set([...Object.keys(stored), ...Object.keys(mine)])]
  const differing = names.filter((name) => JSON.stringify(stored[name]) !== JSON.stringify(mine[name]))
  if (differing.length === 0) return
  const shown = differing.map((name) =>
    name === 'issuer' ? `issuer ${String(mine[name])} (the store's: ${String(stored[name])}; give every replica the same --public-url)` : name,
  )
  throw new StoreMismatchError(`the store at ${redacted(url)} belongs to a mock started with other options: ${shown.join(', ')} differ; start every replica with the same options`)
}

/** Rows every replica purges by itself: Redis forgets them too (unlogged, so it tells nobody). */
function forget(link: RedisLink, rows: Array<[string, string]>): void {
  const byTable = new Map<string, string[]>()
  for (const [table, key] of rows) byTable.set(table, [...(byTable.get(table) ?? []), key])
  for (const [table, keys] of byTable) void link.command(['HDEL', `${KEY_PREFIX}t:${table}`, ...keys]).catch(() => undefined)
}

/** A digest for options that must agree but are secret (the admin secret, the control token). */
export function digestOf(value: string | undefined): string | undefined {
  return value === undefined ? undefined : createHash('sha256').update(value).digest('hex')
}
