// Requests Node's HTTP parser cannot read (a malformed request line or header, bad chunked
// encoding, headers over the size limit) never reach a route: Fastify answers them from the
// socket with a JSON body of its own. Here they get problem+json like every other error
// (ERR-001): 431 for headers that are too large (RFC 6585 §5), 408 for a request that did
// not arrive in time, 400 for the rest — all `invalid_request`, the request's own fault.
// The connection is closed after the answer: the parser cannot tell where the next request
// would begin. The answer waits for those to the requests read before it on the connection
// (earlier-answers.ts), and the connection closes once its bytes are out (destroySoon): they
// go out at the end of the turn (turn-writes.ts), and destroying it at once lost them.
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import { afterEarlierAnswers } from './earlier-answers.ts'
import { problemOf, PROBLEM_CONTENT_TYPE } from './problem.ts'

const STATUS_OF: Record<string, number> = { HPE_HEADER_OVERFLOW: 431, ERR_HTTP_REQUEST_TIMEOUT: 408 }

export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  if (!socket.writable) {
    socket.destroy(error)
    return
  }
  const status = STATUS_OF[error.code ?? ''] ?? 400
  const body = JSON.stringify({ ...problemOf('invalid_request', `The request is not readable HTTP/1.1 (${error.code ?? 'parse error'}).`), status })
  // The request whose body broke off is the one whose answer is incomplete: its answer is
  // this one (the app's would wait for a body that never comes).
  afterEarlierAnswers(socket, (holder) => !holder.req.complete, () => {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
    socket.destroySoon()
  })
}
