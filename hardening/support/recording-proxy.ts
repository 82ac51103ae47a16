// A forwarding proxy that sits between `authconform verify` and a target and remembers
// every secret that really crossed it: passwords and API secrets that were accepted,
// tokens and key secrets the target handed out, credentials in Authorization headers.
// The secrets test then looks for each of them in everything the run left behind.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'

/** Fields whose values are secrets, in requests and in answers. */
const SECRET_FIELDS = new Set(['api_secret', 'password', 'secret', 'access_token', 'refresh_token', 'token'])
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade'])

export interface RecordingProxy {
  url: string
  /** Every secret seen in a successful exchange. */
  secrets(): Set<string>
  exchanges(): number
  close(): Promise<void>
}

export interface ProxyOptions {
  /** Response headers to drop on the way back (a fault that makes cases fail, so that reports carry transcripts). */
  dropResponseHeaders?: string[]
}

export async function startRecordingProxy(port: number, upstream: string, options: ProxyOptions = {}): Promise<RecordingProxy> {
  const dropped = new Set([...HOP_BY_HOP, ...(options.dropResponseHeaders ?? []).map((name) => name.toLowerCase())])
  const secrets = new Set<string>()
  let exchanges = 0
  const server: Server = createServer(async (incoming, outgoing) => {
    try {
      const requestBody = await readAll(incoming)
      const response = await request(`${upstream}${incoming.url}`, {
        method: incoming.method as 'GET',
        headers: Object.fromEntries(Object.entries(incoming.headers).filter(([name]) => !HOP_BY_HOP.has(name))) as Record<string, string>,
        body: requestBody.length > 0 ? requestBody : undefined,
      })
      const responseBody = Buffer.from(await response.body.arrayBuffer())
      exchanges += 1
      if (response.statusCode < 300) {
        for (const secret of [...credentialSecrets(incoming.headers.authorization), ...jsonSecrets(requestBody), ...jsonSecrets(responseBody)]) {
          secrets.add(secret)
        }
      }
      const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !dropped.has(name)))
      outgoing.writeHead(response.statusCode, headers as Record<string, string>).end(responseBody)
    } catch (error) {
      outgoing.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${(error as Error).message}`)
    }
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    secrets: () => secrets,
    exchanges: () => exchanges,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('end', () => resolve(Buffer.concat(chunks)))
    stream.on('error', reject)
  })
}

function credentialSecrets(authorization: string | undefined): string[] {
  const [scheme = '', value = ''] = (authorization ?? '').split(/\s+/, 2)
  switch (scheme.toLowerCase()) {
    case 'bearer':
      return [value]
    case 'apikey':
      return [value.slice(value.indexOf(':') + 1)]
    case 'basic': {
      const decoded = Buffer.from(value, 'base64').toString('utf8')
      return [decoded.slice(decoded.indexOf(':') + 1), value]
    }
    default:
      return []
  }
}

function jsonSecrets(body: Buffer): string[] {
  if (body.length === 0) return []
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch {
    return []
  }
  const found: string[] = []
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk)
    else if (node !== null && typeof node === 'object') {
      for (const [name, value] of Object.entries(node)) {
        if (SECRET_FIELDS.has(name) && typeof value === 'string') found.push(value)
        else walk(value)
      }
    }
  }
  walk(parsed)
  return found
}
