// The ceiling: a bare node:http server answering every request with one fixed JSON body
// (the mock's own list answer, so both send the same bytes). No routing, no parsing.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serveChildProtocol } from './child-protocol.ts'

const body = Buffer.from(process.env['AUTHCONFORM_BENCH_BODY'] ?? '{}', 'utf8')
const server = createServer((_request, response) => {
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
