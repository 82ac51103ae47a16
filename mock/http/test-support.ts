// Test support for the mock's own tests: a real mock on a free port and a small undici
// client that returns status, headers and the parsed body.
import { request } from 'undici'
import { exampleRequest, type ExampleRequest } from '../../openapi/example-requests.ts'
import { createMock, type MockOptions, type RunningMock } from '../server.ts'

export interface Reply<T = any> {
  status: number
  headers: Record<string, string>
  body: T
  text: string
}

export interface CallOptions {
  body?: unknown
  /** Sent as is (malformed JSON, oversized bodies). */
  raw?: string | Buffer
  token?: string
  headers?: Record<string, string>
}

export interface TestMock extends RunningMock {
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<Reply<T>>
  /** Access token of the admin key. */
  adminToken(): Promise<string>
  /** Access token of a fixture user (email, password). */
  signIn(email: string, password: string): Promise<string>
}

export async function startTestMock(options: MockOptions = {}): Promise<TestMock> {
  const mock = await createMock({ port: 0, logLevel: 'silent', ...options })
  const call = async <T>(method: string, path: string, { body, raw, token, headers = {} }: CallOptions = {}): Promise<Reply<T>> => {
    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body))
    const response = await request(`${mock.url}${path}`, {
      method: method as 'GET',
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
        ...headers,
      },
      body: payload,
    })
    const text = await response.body.text()
    const type = String(response.headers['content-type'] ?? '')
    return {
      status: response.statusCode,
      headers: response.headers as Record<string, string>,
      body: (text && type.includes('json') ? JSON.parse(text) : text) as T,
      text,
    }
  }
  const tokenFrom = (reply: Reply): string => {
    if (reply.status >= 300) throw new Error(`sign-in failed: ${reply.status} ${reply.text}`)
    return reply.body.access_token as string
  }
  return {
    ...mock,
    call,
    adminToken: async () =>
      tokenFrom(await call('POST', '/v1/auth/token', { body: { api_key: mock.adminKey, api_secret: mock.adminSecret } })),
    signIn: async (email, password) => tokenFrom(await call('POST', '/v1/sessions', { body: { email, password } })),
  }
}

/** The fixture users of fixtures/default.yaml. */
export const FIXTURE_USERS = {
  alice: { id: 'usr_alice000000000000000', email: 'alice@example.test', password: 'alice-dev-password' },
  bob: { id: 'usr_bob00000000000000000', email: 'bob@example.test', password: 'bob-dev-password' },
  carol: { id: 'usr_carol000000000000000', email: 'carol@example.test', password: 'carol-dev-password' },
  dave: { id: 'usr_dave0000000000000000', email: 'dave@example.test', password: 'dave-dev-password' },
} as const

export const FIXTURE_CLIENT_KEY = { id: 'key_devClient000000000000000', secret: 'sk_devClientSecretNotForProduction000000000' }

/** Asserts the RFC 9457 shape every error answer has. */
export function expectProblem(reply: Reply, status: number, code: string): void {
  const problem = reply.body as Record<string, unknown>
  const ok =
    reply.status === status &&
    String(reply.headers['content-type']).startsWith('application/problem+json') &&
    problem.type === `urn:authconform:problem:${code}` &&
    problem.status === status &&
    problem.code === code &&
    typeof problem.title === 'string' &&
    typeof problem.detail === 'string'
  if (!ok) throw new Error(`expected a ${status} ${code} problem, got ${reply.status} ${reply.headers['content-type']}: ${reply.text}`)
  if (status === 401 && !/^Bearer realm="authconform", error="invalid_token"/.test(reply.headers['www-authenticate'] ?? '')) {
    throw new Error(`401 without a Bearer WWW-Authenticate challenge: ${reply.headers['www-authenticate']}`)
  }
}

/**
 * Request-example fields that hold a credential the server mints at run time, which no
 * example can hold alive: the refresh token of the refresh example. `withLiveCredentials`
 * checks that the example has the credential's form, then puts a live one in its place.
 */
const MINTED_EXAMPLE_FIELDS: Record<string, { field: string; form: RegExp }> = {
  refreshToken: { field: 'refresh_token', form: /^rt_[A-Za-z0-9_-]{43}$/ },
}

/**
 * Path parameters that name what the server mints at run time, which no example can name
 * alive: a fault of the control extension lives from its injection to the next reset.
 */
const MINTED_PATH_PARAMETERS: Record<string, { name: string; form: RegExp; mint: (mock: TestMock) => Promise<string> }> = {
  deleteControlFault: {
    name: 'id',
    form: /^flt_[A-Za-z0-9]{20}$/,
    mint: async (mock) => (await mock.call('POST', '/__control/faults', { body: { operation: 'listKeys', delay_ms: 1 } })).body.id,
  },
}

/** The example request, with a live value where its path names something minted at run time (checked for form first). */
export async function withLivePath(mock: TestMock, request: ExampleRequest): Promise<ExampleRequest> {
  const minted = MINTED_PATH_PARAMETERS[request.operationId]
  if (!minted) return request
  const example = request.params[minted.name]
  if (example === undefined || !minted.form.test(example)) {
    throw new Error(`${request.operationId}: the example of path parameter ${minted.name} ${JSON.stringify(example)} does not have the form ${minted.form}`)
  }
  return exampleRequest(request.operationId, { params: { ...request.params, [minted.name]: await minted.mint(mock) }, body: request.body })
}

export async function withLiveCredentials(mock: TestMock, operationId: string, body: unknown): Promise<unknown> {
  const minted = MINTED_EXAMPLE_FIELDS[operationId]
  if (!minted || body === null || typeof body !== 'object') return body
  const example = (body as Record<string, unknown>)[minted.field]
  if (typeof example !== 'string' || !minted.form.test(example)) throw new Error(`${operationId}: the example's ${minted.field} ${JSON.stringify(example)} does not have the form ${minted.form}`)
  const { email, password } = FIXTURE_USERS.alice
  const live = (await mock.call('POST', '/v1/sessions', { body: { email, password } })).body.refresh_token as string
  return { ...body, [minted.field]: live }
}
