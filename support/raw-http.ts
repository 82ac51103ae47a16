// One HTTP/1.1 exchange on a connection of its own, with any method Node's parser knows —
// CONNECT included, which HTTP clients such as undici refuse to send — read until the
// server closes the connection (the request asks it to). For tests that probe how a
// server answers odd requests; not a general client.
import net from 'node:net'

export interface RawRequest {
  method: string
  /** The request target as sent: a path with its query, or an authority for CONNECT. */
  target: string
  headers?: Record<string, string>
  body?: string
}

export interface RawAnswer {
  status: number
  /** Lower-cased names; repeated headers joined with ', '. */
  headers: Record<string, string>
  text: string
}

export function rawExchange(baseUrl: string, request: RawRequest, timeoutMs = 10_000): Promise<RawAnswer> {
  const url = new URL(baseUrl)
  const body = request.body === undefined ? undefined : Buffer.from(request.body)
  const headers: Record<string, string> = {
    host: url.host,
    connection: 'close',
    ...request.headers,
    ...(body !== undefined && { 'content-length': String(body.length) }),
  }
  const head = [`${request.method} ${request.target} HTTP/1.1`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', ''].join('\r\n')
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname)
    const chunks: Buffer[] = []
    const timer = setTimeout(() => socket.destroy(new Error(`no complete answer to ${request.method} ${request.target} within ${timeoutMs} ms`)), timeoutMs)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    socket.on('close', () => {
      clearTimeout(timer)
      try {
        resolve(parseAnswer(Buffer.concat(chunks), request.method))
      } catch (error) {
        reject(error)
      }
    })
    socket.write(body === undefined ? head : Buffer.concat([Buffer.from(head), body]))
  })
}

function parseAnswer(bytes: Buffer, method: string): RawAnswer {
  const end = bytes.indexOf('\r\n\r\n')
  if (end < 0) throw new Error(`the connection closed without a complete answer to ${method} (${bytes.length} bytes)`)
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n')
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1])
  if (!Number.isInteger(status)) throw new Error(`not an HTTP status line: ${JSON.stringify(statusLine)}`)
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
  }
  const rest = bytes.subarray(end + 4)
  const content = headers['transfer-encoding']?.toLowerCase() === 'chunked' ? dechunk(rest) : rest
  return { status, headers, text: method === 'HEAD' ? '' : content.toString('utf8') }
}

function dechunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at)
    if (lineEnd < 0) break
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16)
    if (!Number.isInteger(size) || size === 0) break
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size))
    at = lineEnd + 2 + size + 2
  }
  return Buffer.concat(parts)
}
