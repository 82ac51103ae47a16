// The ceiling: a bare node:http server answering one fixed JSON body per request URL (the
// mock's own answers, so both send the same bytes), read from the JSON file the bench
// wrote: { "<path and query>": body }, "*" for any other URL. No routing beyond one Map
// lookup, no parsing.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serveChildProtocol } from './child-protocol.ts'

const texts = JSON.parse(readFileSync(process.env['AUTHCONFORM_BENCH_BODIES']!, 'utf8')) as Record<string, string>
const bodies = new Map(Object.entries(texts).map(([url, text]) => [url, Buffer.from(text, 'utf8')]))
const fallback = bodies.get('*') ?? Buffer.from('{}')
const server = createServer((request, response) => {
  const body = bodies.get(request.url!) ?? fallback
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length })
  response.end(body)
})
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  serveChildProtocol(
    { url: `http://127.0.0.1:${port}` },
    () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
})
