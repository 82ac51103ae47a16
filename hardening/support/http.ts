// A small JSON client for the hardening tests: real sockets, its own connection pool (so
// that "50 concurrent requests" really are 50 requests on the wire at once).
import { Agent, request } from 'undici'

export interface Reply {
  status: number
  headers: Record<string, string>
  body: any
  text: string
}

export interface JsonClient {
  /** `body` is sent as JSON; `rawBody` as is (with whatever Content-Type `headers` name). */
  call(method: string, path: string, init?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<Reply>
  adminToken(key: string, secret: string): Promise<{ access_token: string; refresh_token: string; session_id: string }>
  close(): Promise<void>
}

export function jsonClient(baseUrl: string, connections = 64): JsonClient {
  const dispatcher = new Agent({ connections, pipelining: 1 })
  const call: JsonClient['call'] = async (method, path, init = {}) => {
    const response = await request(`${baseUrl}${path}`, {
      method: method as 'GET',
      dispatcher,
      headers: {
        ...(init.token !== undefined && { authorization: `Bearer ${init.token}` }),
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    })
    const text = await response.body.text()
    const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, String(value)]))
    let body: unknown = text
    if (/json/.test(headers['content-type'] ?? '') && text !== '') {
      try {
        body = JSON.parse(text)
      } catch {
        body = text
      }
    }
    return { status: response.statusCode, headers, body, text }
  }
  return {
    call,
    async adminToken(key, secret) {
      const reply = await call('POST', '/v1/auth/token', { body: { api_key: key, api_secret: secret } })
      if (reply.status !== 200) throw new Error(`token exchange answered ${reply.status}: ${reply.text}`)
      return reply.body
    },
    close: () => dispatcher.close(),
  }
}
