// CONNECT asks a proxy for a tunnel (RFC 9110 §9.3.6). Node's server hands it to a
// 'connect' listener instead of the request handler, and without one destroys the
// connection: the client would get no answer at all. Here a CONNECT goes through the app
// like any method the contract does not define — 405 with Allow on a path of the API,
// 404 elsewhere (an authority such as example.com:443 is no path) — and the connection
// is closed after the answer, since a CONNECT leaves the parser expecting a tunnel.
import { ServerResponse, type IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'

/** Node's own mark of the response that holds a connection (the next ones wait for it). */
type HttpSocket = Socket & { _httpMessage?: ServerResponse | null }

export function answerConnectRequests(app: FastifyInstance): void {
  app.server.on('connect', (request: IncomingMessage, socket: HttpSocket) => {
    whenAnswered(socket, () => {
      const response = new ServerResponse(request)
      response.shouldKeepAlive = false
      response.assignSocket(socket)
      response.once('finish', () => {
        response.detachSocket(socket)
        socket.end()
      })
      app.routing(request, response)
    })
  })
}

/**
 * Runs `then` once the requests pipelined before the CONNECT on `socket` are answered: Node
 * emits 'connect' as soon as it reads one, and a response given the connection while an
 * earlier one still held it threw (ERR_HTTP_SOCKET_ASSIGNED) and ended the process. Each
 * earlier response hands the connection to the next when it finishes, so this waits until
 * none holds it; a connection closed meanwhile is left.
 */
function whenAnswered(socket: HttpSocket, then: () => void): void {
  const holder = socket._httpMessage
  if (socket.destroyed) return
  if (holder === undefined || holder === null) return then()
  const next = (): void => {
    holder.off('finish', next)
    holder.off('close', next)
    whenAnswered(socket, then)
  }
  holder.once('finish', next)
  holder.once('close', next)
}
