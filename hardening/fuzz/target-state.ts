// The fuzzer's view of the live server: credentials it minted for itself (admin, a client
// key, a user, a revoked token) and the ids it has seen, per collection. Fuzzed requests
// delete keys, deactivate users, advance the clock and reset the server, so credentials
// are re-minted whenever one of them stops working.
import { Agent, request } from 'undici'

export interface Exchange {
  status: number
  headers: Record<string, string>
  text: string
  body: unknown
}

export interface AdminCredentials {
  key: string
  secret: string
}

type Who = 'admin' | 'client' | 'user'

const KEPT_IDS = 40

export class TargetState {
  readonly dispatcher = new Agent({ connections: 8, keepAliveTimeout: 5_000 })
  private readonly ids = new Map<string, string[]>([['/v1/sessions', ['current']]])
  private readonly tokens = new Map<Who, string>()
  private client: { key: string; secret: string } | undefined
  private user: { id: string; email: string; password: string } | undefined
  private revoked: string | undefined
  private mintCount = 0

  constructor(
    readonly baseUrl: string,
    private readonly admin: AdminCredentials,
    private readonly timeoutMs = 10_000,
  ) {}

  /** How many credentials the fuzzer had to mint (again) after the fuzzing broke them. */
  get mints(): number {
    return this.mintCount
  }

  get adminCredentials(): AdminCredentials {
    return this.admin
  }

  /** The fuzz user's sign-in credentials (created on first use). */
  async userCredentials(): Promise<{ email: string; password: string }> {
    this.user ??= await this.createUser()
    return this.user
  }

  /** A live access token; minted on first use and again after `invalidate`. */
  async bearer(who: Who): Promise<string> {
    let token = this.tokens.get(who)
    if (token === undefined) {
      this.mintCount += 1
      token = who === 'admin' ? await this.exchange(this.admin) : who === 'client' ? await this.clientToken() : await this.userToken()
      this.tokens.set(who, token)
    }
    return token
  }

  /** An access token whose session the fuzzer revoked: refused for ever after. */
  async revokedToken(): Promise<string> {
    if (this.revoked === undefined) {
      const doomed = await must('a token to revoke', this.call('POST', '/v1/auth/token', await this.clientKey()))
      await must('revoke', this.call('POST', '/v1/auth/revoke', { token: doomed.refresh_token }))
      this.revoked = doomed.access_token as string
    }
    return this.revoked
  }

  /** A live credential was refused: the fuzzing ended its session, expired it or reset the server. */
  invalidate(who: Who): void {
    this.tokens.delete(who)
  }

  /** The ids already on the server (fixtures, earlier runs): every list the admin can read. */
  async seedIds(): Promise<void> {
    for (const collection of ['/v1/users', '/v1/keys', '/v1/policies', '/v1/datasets', '/v1/sessions']) {
      this.learn(collection, 'GET', await this.asAdmin('GET', collection))
    }
    for (const dataset of (this.ids.get('/v1/datasets') ?? []).slice(0, 3)) {
      const records = await this.asAdmin('GET', `/v1/datasets/${encodeURIComponent(dataset)}/records?limit=20`)
      this.learn('/v1/datasets/{name}/records', 'GET', records)
    }
  }

  knownId(collection: string, index: number): string | undefined {
    const ids = this.ids.get(collection)
    return ids && ids.length > 0 ? ids[index % ids.length] : undefined
  }

  /** Learns ids from an answer: a created resource, or the items of a list. */
  learn(template: string, method: string, exchange: Exchange): void {
    if (exchange.status >= 300 || typeof exchange.body !== 'object' || exchange.body === null) return
    // Only collections (/v1/users, /v1/datasets/{name}/records) hand out new ids.
    if (template.endsWith('}')) return
    const body = exchange.body as Record<string, unknown>
    if (typeof body.session_id === 'string') this.remember('/v1/sessions', body.session_id)
    const found: unknown[] = Array.isArray(body.items) ? body.items : method === 'POST' ? [body] : []
    for (const item of found) {
      const fields = (item ?? {}) as Record<string, unknown>
      const id = fields.id ?? fields.name
      // The fuzzer's own credentials are its lifeline: never offered to DELETE, PATCH or rotate.
      if (typeof id === 'string' && !this.isOwn(id)) this.remember(template, id)
    }
  }

  private remember(collection: string, id: string): void {
    const ids = this.ids.get(collection) ?? []
    if (ids.includes(id)) return
    ids.push(id)
    if (ids.length > KEPT_IDS) ids.splice(1, 1)
    this.ids.set(collection, ids)
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Exchange> {
    const response = await request(new URL(path, this.baseUrl), {
      method: method as 'GET',
      dispatcher: this.dispatcher,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    })
    const text = await response.body.text()
    const headersOut = Object.fromEntries(
      Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]),
    )
    let parsed: unknown = text
    if (/json/.test(headersOut['content-type'] ?? '')) {
      try {
        parsed = JSON.parse(text)
      } catch {
        parsed = text
      }
    }
    return { status: response.statusCode, headers: headersOut, text, body: parsed }
  }

  private isOwn(id: string): boolean {
    return id === this.admin.key || id === this.client?.key || id === this.user?.id
  }

  private async exchange(key: { key: string; secret: string }): Promise<string> {
    const answer = await this.call('POST', '/v1/auth/token', { api_key: key.key, api_secret: key.secret })
    if (answer.status !== 200) throw new SetUpError(`token exchange for ${key.key} answered ${answer.status} ${answer.text.slice(0, 200)}`)
    return (answer.body as { access_token: string }).access_token
  }

  private async clientKey(): Promise<{ api_key: string; api_secret: string }> {
    this.client ??= await this.createClientKey()
    return { api_key: this.client.key, api_secret: this.client.secret }
  }

  private async clientToken(): Promise<string> {
    try {
      const { api_key, api_secret } = await this.clientKey()
      return await this.exchange({ key: api_key, secret: api_secret })
    } catch (error) {
      if (!(error instanceof SetUpError)) throw error
      // The key went with a reset of the server's data: make another.
      this.client = await this.createClientKey()
      return this.exchange({ key: this.client.key, secret: this.client.secret })
    }
  }

  private async userToken(): Promise<string> {
    const signIn = async () => {
      const { email, password } = await this.userCredentials()
      return this.call('POST', '/v1/sessions', { email, password })
    }
    let answer = await signIn()
    if (answer.status !== 201) {
      this.user = await this.createUser()
      answer = await signIn()
    }
    if (answer.status !== 201) throw new SetUpError(`fuzz user sign-in answered ${answer.status} ${answer.text.slice(0, 200)}`)
    return (answer.body as { access_token: string }).access_token
  }

  private async createClientKey(): Promise<{ key: string; secret: string }> {
    const key = await must('create a client key', this.asAdmin('POST', '/v1/keys', { description: 'fuzz client' }))
    return { key: key.id, secret: key.secret }
  }

  private async createUser(): Promise<{ id: string; email: string; password: string }> {
    const email = `fuzz-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@fuzz.test`
    const password = `fuzz-password-${Math.random().toString(36).slice(2, 10)}`
    const user = await must('create a user', this.asAdmin('POST', '/v1/users', { email, password, namespaces: ['fuzz'] }))
    return { id: user.id, email, password }
  }

  /** An admin call; the admin token may have died of a fuzzed request since it was minted. */
  private async asAdmin(method: string, path: string, body?: unknown): Promise<Exchange> {
    const attempt = async () => this.call(method, path, body, { authorization: `Bearer ${await this.bearer('admin')}` })
    const answer = await attempt()
    if (answer.status !== 401) return answer
    this.invalidate('admin')
    return attempt()
  }

  close(): Promise<void> {
    return this.dispatcher.close()
  }
}

/** The fuzzer could not set itself up on the target (not a finding about the target's answers). */
export class SetUpError extends Error {
  override name = 'SetUpError'
}

async function must(what: string, exchange: Promise<Exchange>): Promise<any> {
  const answer = await exchange
  if (answer.status >= 300) throw new SetUpError(`fuzz set-up: ${what} answered ${answer.status} ${answer.text.slice(0, 200)}`)
  return answer.body
}
