// Set-up calls of the benchmarks (tokens, probes, bulk issuing): plain HTTP through undici,
// like any client of the mock. Not used for measured load (that is autocannon's job).
import { Agent, request } from 'undici'

const agent = new Agent({ connections: 32, keepAliveTimeout: 10_000 })

export interface HttpAnswer {
  status: number
  body: string
}

export async function call(
  method: 'GET' | 'POST',
  url: string,
  { body, token }: { body?: unknown; token?: string } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`
  const response = await request(url, {
    method,
    headers,
    dispatcher: agent,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  return { status: response.statusCode, body: await response.body.text() }
}

/** The answer's JSON when it has the expected status; otherwise a readable error. */
export async function expectJson<T>(expected: number, answer: Promise<HttpAnswer>, what: string): Promise<T> {
  const { status, body } = await answer
  if (status !== expected) throw new Error(`${what}: expected ${expected}, got ${status}: ${body.slice(0, 300)}`)
  return JSON.parse(body) as T
}

export interface Tokens {
  access_token: string
  refresh_token: string
}

export function exchange(baseUrl: string, credential: { id: string; secret: string }): Promise<Tokens> {
  return expectJson<Tokens>(
    200,
    call('POST', `${baseUrl}/v1/auth/token`, { body: { api_key: credential.id, api_secret: credential.secret } }),
    'token exchange',
  )
}

/** Runs `task` for 0..count-1 with at most `concurrency` in flight. */
export async function forEachConcurrently(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
}

export function closeHttp(): Promise<void> {
  return agent.close()
}
