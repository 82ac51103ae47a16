// Targets that misbehave on purpose. The first requests — verify's preflight: discovery,
// the admin token exchange, the admin key check — are forwarded to a real mock so that the
// run gets as far as its cases; every request after that meets the chosen behaviour.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { request } from 'undici'

export const BEHAVIOURS = ['hang', 'trickle', 'cut mid-response', 'html', 'huge body'] as const
/** `mixed` takes the behaviours in turn, request after request: all of them in one run. */
export type Behaviour = (typeof BEHAVIOURS)[number] | 'mixed'

export interface HostileTarget {
  url: string
  /** Requests that met the hostile behaviour (not the forwarded preflight). */
  hostileRequests(): number
  close(): Promise<void>
}

const CHUNK = Buffer.alloc(1024 * 1024, 0x61)

export async function startHostileTarget(behaviour: Behaviour, upstream: string, forwardFirst: number): Promise<HostileTarget> {
  let seen = 0
  let hostile = 0
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const server: Server = createServer((incoming, outgoing) => {
    seen += 1
    if (seen <= forwardFirst) return void forward(incoming, outgoing, upstream)
    hostile += 1
    incoming.resume()
    misbehave(behaviour === 'mixed' ? BEHAVIOURS[hostile % BEHAVIOURS.length]! : behaviour, outgoing, timers)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hostileRequests: () => hostile,
    close: async () => {
      for (const timer of timers) clearInterval(timer)
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

function misbehave(behaviour: (typeof BEHAVIOURS)[number], outgoing: ServerResponse, timers: Set<NodeJS.Timeout>): void {
  switch (behaviour) {
    case 'hang':
      return // headers never come
    case 'trickle': {
      // A byte every 100 ms: never idle long enough for an idle timeout, never finished.
      outgoing.writeHead(200, { 'content-type': 'application/json' })
      const timer = setInterval(() => outgoing.write(' '), 100)
      timers.add(timer)
      outgoing.on('close', () => clearInterval(timer))
      return
    }
    case 'cut mid-response':
      outgoing.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
      outgoing.write('{"items": [')
      setTimeout(() => outgoing.socket?.destroy(), 20)
      return
    case 'html':
      outgoing.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>')
      return
    case 'huge body': {
      // Endless JSON-looking bytes, as fast as the client takes them.
      outgoing.writeHead(200, { 'content-type': 'application/json' })
      outgoing.write('{"items":"')
      const pump = () => {
        while (!outgoing.destroyed && outgoing.write(CHUNK));
      }
      outgoing.on('drain', pump)
      pump()
      return
    }
  }
}

async function forward(incoming: IncomingMessage, outgoing: ServerResponse, upstream: string): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of incoming) chunks.push(chunk as Buffer)
  const { host: _host, connection: _connection, 'content-length': _length, ...headers } = incoming.headers
  const response = await request(`${upstream}${incoming.url}`, {
    method: incoming.method as 'GET',
    headers: headers as Record<string, string>,
    body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
  })
  const body = Buffer.from(await response.body.arrayBuffer())
  const { 'transfer-encoding': _encoding, connection: _c, 'content-length': _l, ...responseHeaders } = response.headers
  outgoing.writeHead(response.statusCode, responseHeaders as Record<string, string>).end(body)
}
