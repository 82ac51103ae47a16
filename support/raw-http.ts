// HTTP/1.1 on a connection of its own, for tests that probe how a server answers what HTTP
// clients such as undici will not send; not a general client. rawExchange: one request with
// any method Node's parser knows (CONNECT included), read until the server closes the
// connection (the request asks it to). rawAnswers: bytes as given (several requests at
// once: pipelined, or ones no parser can read), their answers read by Content-Length.
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

/**
 * Writes `bytes` at once on a connection of its own and reads the answers by their
 * Content-Length, until `count` came or the server closed the connection (then: the
 * answers that came).
 */
export function rawAnswers(baseUrl: string, bytes: string, count = 1, timeoutMs = 10_000): Promise<RawAnswer[]> {
  const url = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const answers: RawAnswer[] = []
    let received = Buffer.alloc(0)
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(bytes))
    const timer = setTimeout(() => socket.destroy(new Error(`${answers.length} of ${count} answers within ${timeoutMs} ms`)), timeoutMs)
    const done = (): void => {
      clearTimeout(timer)
      resolve(answers)
    }
    socket.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    socket.on('close', done)
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      for (;;) {
        const end = received.indexOf('\r\n\r\n')
        if (end < 0) break
        const { status, headers } = parseHead(received.subarray(0, end))
        const length = Number(headers['content-length'] ?? 0)
        if (received.length < end + 4 + length) break
        answers.push({ status, headers, text: received.subarray(end + 4, end + 4 + length).toString('utf8') })
        received = received.subarray(end + 4 + length)
      }
      if (answers.length >= count) socket.end(done)
    })
  })
}

function parseAnswer(bytes: Buffer, method: string): RawAnswer {
  const end = bytes.indexOf('\r\n\r\n')
  if (end < 0) throw new Error(`the connection closed without a complete answer to ${method} (${bytes.length} bytes)`)
  const { status, headers } = parseHead(bytes.subarray(0, end))
  const rest = bytes.subarray(end + 4)
  const content = headers['transfer-encoding']?.toLowerCase() === 'chunked' ? dechunk(rest) : rest
  return { status, headers, text: method === 'HEAD' ? '' : content.toString('utf8') }
}

/** The status line and header lines of an answer (without the blank line that ends them). */
function parseHead(head: Buffer): Pick<RawAnswer, 'status' | 'headers'> {
  const [statusLine = '', ...lines] = head.toString('latin1').split('\r\n')
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1])
  if (!Number.isInteger(status)) throw new Error(`not an HTTP status line: ${JSON.stringify(statusLine)}`)
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
  }
  return { status, headers }
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
