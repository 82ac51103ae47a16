// How to spend one declared rate limit (DISC-005): for each (scope, per) a driver that
// prepares fresh subjects and sends "request number i" of the window. Per-address limits
// are shared with everything else this machine sends, so they are only counted exactly
// from a fresh window (control extension reset); the others use subjects made for the case.
import { api, given, target, type ApiResponse, type RateLimit } from '../harness/index.ts'

export interface Driver {
  /** The status every request within the limit must get. */
  expectedStatus: number
  /** Sends request number `index` (0-based) of the window. */
  send(index: number): Promise<ApiResponse<any>>
}

type Prepare = (limit: RateLimit) => Promise<Driver>

/** A limit of another entry that also applies to these requests (to stay under it). */
function declared(scope: RateLimit['scope'], per: RateLimit['per']): number | undefined {
  return (target.discovery.rate_limits ?? []).find((entry) => entry.scope === scope && entry.per === per)?.limit
}

const exchange = (key: { id: string; secret: string }) =>
  api.anonymous.post('/v1/auth/token', { api_key: key.id, api_secret: key.secret })

const signIn = (email: string, password: string) => api.anonymous.post('/v1/sessions', { email, password })

export const DRIVERS: Record<string, Prepare> = {
  'token/credential': async () => {
    const key = await given.key()
    return { expectedStatus: 200, send: () => exchange(key) }
  },

  'token/address': async (limit) => {
    // Spread over keys so no key reaches its own per-credential limit first.
    const perKey = Math.max(1, (declared('token', 'credential') ?? limit.limit + 1) - 1)
    // Made side by side: creating keys counts against no token limit. Enough for the
    // window-edges case's requests past the limit too (DISC-005: up to limit + 4).
    const keys = await Promise.all(Array.from({ length: Math.ceil((limit.limit + 4) / perKey) }, () => given.key()))
    return { expectedStatus: 200, send: (index) => exchange(keys[Math.floor(index / perKey)]!) }
  },

  'signin/credential': async () => {
    const user = await given.user()
    return { expectedStatus: 201, send: () => signIn(user.email, user.password) }
  },

  'signin/address': async () => {
    // Unknown, distinct emails: every attempt counts for the address, none reaches a
    // per-email or per-account limit.
    const prefix = `nobody-${target.runId}-${target.faker.string.alphanumeric(6).toLowerCase()}`
    return { expectedStatus: 401, send: (index) => signIn(`${prefix}-${index}@example.test`, 'not-the-password') }
  },

  'signin_failures/account': async () => {
    const user = await given.user()
    return { expectedStatus: 401, send: () => signIn(user.email, `${user.password}-wrong`) }
  },

  'data/subject': async () => {
    const key = await given.key()
    const dataset = await given.dataset()
    await given.policy({ subjects: [{ type: 'api_key', id: key.id }], resources: [dataset], actions: ['read'], filters: [] })
    // Renewed if the window's requests outlast half an access token's lifetime: the limit is per subject, not per token.
    const client = api.as(await given.bearer(key))
    return {
      expectedStatus: 200,
      send: () => client.get('/v1/datasets/{name}/records', { params: { name: dataset }, query: { limit: 1 } }),
    }
  },
}

/** Scopes counted per client address: shared with every other request from this machine. */
export const SHARED_SCOPES = new Set(['token/address', 'signin/address'])

export type SendResult = { statuses: number[] } | { tooSlow: string }

/**
 * Sends requests 0..count-1 with a few in flight and returns their statuses in order —
 * unless the first ones show the rest cannot fit in the window (the count would then
 * straddle two windows and prove nothing), which it says instead of spending them all.
 */
export async function sendMany(driver: Driver, count: number, windowSeconds: number, inFlight = 16): Promise<SendResult> {
  const statuses: number[] = new Array(count)
  const sample = Math.min(count, 48)
  const started = Date.now()
  let next = 0
  let tooSlow: string | undefined
  const worker = async () => {
    while (next < count && !tooSlow) {
      const index = next
      next += 1
      statuses[index] = (await driver.send(index)).status
      if (index + 1 === sample) {
        const perRequest = (Date.now() - started) / sample
        if (perRequest * count > windowSeconds * 1000 * 0.9) {
          tooSlow = `at ${Math.round(1000 / perRequest)} requests/s, ${count} requests do not fit the ${windowSeconds} s window`
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker))
  return tooSlow ? { tooSlow } : { statuses }
}
