// Isolated test data. Every helper names what it creates with the run id (uniqueName)
// and registers its removal, run in reverse order when the test file ends (unless
// --keep), so runs never see each other's data and the target is left as found.
import { contractOperation } from '../../profiles/contract-operations.ts'
import { adminClient } from './admin.ts'
import { clientAs, type ApiResponse } from './client.ts'
import type { CreatedKey, DatasetRecord, KeyCreate, Policy, PolicyInput, TokenResponse, User, UserCreate } from './contract-types.ts'
import type { Credential, SessionCredential } from './credentials.ts'
import { BudgetExhaustedError, NotApplicableError, SetupError } from './errors.ts'
import { patiently } from './patience.ts'
import { notApplicableUnderProfile, requiredFields, runProfile, withAbsentFields } from './profile-hook.ts'
import { provideState, providedByState } from './provider-states.ts'
import { renewingSession } from './renewing.ts'
import { target, targetConfig, uniqueName } from './target.ts'

type Cleanup = () => Promise<unknown>
const cleanups: Cleanup[] = []

/** Registers an extra cleanup step (runs at the end of the file, newest first). */
export function onCleanup(step: Cleanup): void {
  cleanups.push(step)
}

/** Runs and forgets the registered cleanups; returns what could not be cleaned. */
export async function runCleanups(): Promise<string[]> {
  const problems: string[] = []
  const steps = cleanups.splice(0).reverse()
  if (targetConfig().keep) return problems
  for (const [index, step] of steps.entries()) {
    try {
      await step()
    } catch (error) {
      if (error instanceof BudgetExhaustedError) {
        problems.push(`${steps.length - index} step(s) not done, ${error.message}: data of run ${targetConfig().runId} may be left on the target`)
        break
      }
      // A removal the run's profile cannot express removes what nothing could have created.
      if (error instanceof NotApplicableError) continue
      problems.push(error instanceof Error ? error.message : String(error))
    }
  }
  return problems
}

function expectStatus(what: string, response: ApiResponse<any>, status: number): void {
  if (response.status !== status) {
    throw new SetupError(`${what}: expected ${status}, the target answered ${response.status} ${response.text.slice(0, 300)}`)
  }
}

/** Deletes with the admin and accepts 404 (a case may have deleted it already). */
function removeLater(path: '/v1/keys/{id}' | '/v1/users/{id}' | '/v1/policies/{id}', id: string): void
function removeLater(path: '/v1/datasets/{name}', name: string): void
function removeLater(path: string, id: string): void {
  const params: Record<string, string> = path.endsWith('{name}') ? { name: id } : { id }
  onCleanup(async () => {
    const response = await adminClient.send({ method: 'delete', path, params })
    if (response.status !== 204 && response.status !== 404) {
      throw new Error(`cleanup DELETE ${path} ${id} answered ${response.status}`)
    }
  })
}

const handedOut = new Set<string>()

function sessionHandedOut(key: { id: string; tokens: TokenResponse }): TokenResponse {
  if (handedOut.has(key.id)) notApplicableUnderProfile(`profile ${runProfile()!.profile.name} has no token exchange: key ${key.id} has the one session it was handed out with`)
  handedOut.add(key.id)
  const { profile } = runProfile()!
  return withAbsentFields(key.tokens, requiredFields(contractOperation('exchangeToken')), `the token profile ${profile.name} hands out with a key`)
}

export interface GivenUser extends User {
  password: string
}

export const given = {
  /** A new API key (client role unless said otherwise); its secret is in the result. */
  async key(options: Partial<KeyCreate> = {}): Promise<CreatedKey> {
    if (providedByState('createKey')) return provideState('a key', { description: uniqueName('key'), ...options })
    const response = await adminClient.post('/v1/keys', { description: uniqueName('key'), ...options } as KeyCreate)
    expectStatus('given.key', response, 201)
    const key = response.body as CreatedKey
    removeLater('/v1/keys/{id}', key.id)
    return key
  },

  /** Exchanges a key for tokens: a new session. */
  async session(key: { id: string; secret: string; tokens?: TokenResponse }): Promise<TokenResponse> {
    // A system without a token exchange handed the key out with its token (provider state
    // 'a key'): one session, so a second one of the same key cannot be had.
    if (key.tokens && providedByState('exchangeToken')) return sessionHandedOut(key as { id: string; tokens: TokenResponse })
    const response = await patiently(() => clientAs('anonymous').post('/v1/auth/token', { api_key: key.id, api_secret: key.secret }))
    expectStatus('given.session', response, 200)
    return response.body as TokenResponse
  },

  /**
   * A caller's credential for set-up: a session of the key (exchanged) or of the user
   * (signed in), renewed once half its access token's lifetime has passed, so that a caller
   * held across a file's cases or a slow set-up never presents an expired token. For every
   * case that needs someone to call as; a case whose point is a token itself (its lifetime,
   * rotation, revocation, sessions, the token already held) takes given.session or
   * given.signIn, which hand out exactly one token.
   */
  async bearer(who: { id: string; secret: string; tokens?: TokenResponse } | { email: string; password: string }): Promise<SessionCredential> {
    const tokens = renewingSession(() => ('email' in who ? given.signIn(who) : given.session(who)))
    const first = await tokens() // now: a set-up that fails, fails here
    // A key handed out with its one session (no token exchange) has no other to renew to.
    if ('tokens' in who && who.tokens && providedByState('exchangeToken')) return { tokens: async () => first }
    return { tokens }
  },

  /** A new active user with a generated email and password (or the ones given). */
  async user(options: { namespaces?: string[]; password?: string; active?: boolean; email?: string } = {}): Promise<GivenUser> {
    const password = options.password ?? target.faker.internet.password({ length: 16 })
    const email = options.email ?? `${uniqueName('user')}@example.test`
    if (providedByState('createUser')) return { ...(await provideState<User>('a user', { ...options, email, password })), password }
    const response = await adminClient.post('/v1/users', { ...options, email, password } as UserCreate)
    expectStatus('given.user', response, 201)
    const user = response.body as User
    removeLater('/v1/users/{id}', user.id)
    return { ...user, password }
  },

  /** Signs a user in with email and password: a new session. */
  async signIn(user: { email: string; password: string }): Promise<TokenResponse> {
    const response = await patiently(() => clientAs('anonymous').post('/v1/sessions', { email: user.email, password: user.password }))
    expectStatus('given.signIn', response, 201)
    return response.body as TokenResponse
  },

  /** A new, empty dataset; returns its name. */
  async dataset(): Promise<string> {
    const name = uniqueName('ds')
    if (providedByState('createDataset')) return (await provideState<{ name: string }>('a dataset', { name })).name
    const response = await adminClient.post('/v1/datasets', { name })
    expectStatus('given.dataset', response, 201)
    removeLater('/v1/datasets/{name}', name)
    return name
  },

  /** A new policy (the description defaults to a unique name). */
  async policy(input: Omit<PolicyInput, 'description'> & { description?: string }): Promise<Policy> {
    if (providedByState('createPolicy')) return provideState('a policy', { description: uniqueName('policy'), ...input })
    const response = await adminClient.post('/v1/policies', { description: uniqueName('policy'), ...input } as PolicyInput)
    expectStatus('given.policy', response, 201)
    const policy = response.body as Policy
    removeLater('/v1/policies/{id}', policy.id)
    return policy
  },

  /** A record created in `dataset` by `as` (removed with its dataset). */
  async record(dataset: string, as: Credential | 'admin', fields: Record<string, unknown>): Promise<DatasetRecord> {
    const client = as === 'admin' ? adminClient : clientAs(as)
    const response = await client.post('/v1/datasets/{name}/records', fields as never, { params: { name: dataset } })
    expectStatus('given.record', response, 201)
    return response.body as DatasetRecord
  },
}
