// CONNECT asks a proxy for a tunnel (RFC 9110 §9.3.6). Node's server hands it to a
// 'connect' listener instead of the request handler, and without one destroys the
// connection: the client would get no answer at all. Here a CONNECT goes through the app
// like any method the contract does not define — 405 with Allow on a path of the API,
// 404 elsewhere (an authority such as example.com:443 is no path) — and the connection
// is closed after the answer, since a CONNECT leaves the parser expecting a tunnel.
import { ServerResponse, type IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterEarlierAnswers, noneOwn } from './earlier-answers.ts'

export function answerConnectRequests(app: FastifyInstance): void {
  app.server.on('connect', (request: IncomingMessage, socket: Socket) => {
    // Node emits 'connect' as soon as it reads one; answered then, it took the connection from
    // an earlier answer still writing (ERR_HTTP_SOCKET_ASSIGNED ended the process).
    afterEarlierAnswers(socket, noneOwn, () => {
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
