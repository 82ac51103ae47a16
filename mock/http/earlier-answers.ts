// Node's HTTP server answers a connection's requests in their order: an answer waits until
// the one before it has finished, and then holds the connection (`socket._httpMessage`, the
// server's own mark). What goes to a connection outside that order must wait the same way,
// or it overtakes answers not yet written — and a connection's bytes go out only at the end
// of the turn (turn-writes.ts): the answer to a CONNECT (connect-requests.ts), to a request
// the parser cannot read (client-errors.ts), and a dropped connection (fault-hook.ts).
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

type HttpSocket = Socket & { _httpMessage?: ServerResponse | null }

/**
 * Runs `then` once every answer before the caller's on `socket` has finished: once no answer
 * holds the connection, or the one that holds it is the caller's own (`isOwn`). A
 * connection closed meanwhile is left.
 */
export function afterEarlierAnswers(socket: Socket, isOwn: (holder: ServerResponse) => boolean, then: () => void): void {
  if (socket.destroyed) return
  const holder = (socket as HttpSocket)._httpMessage
  if (holder === undefined || holder === null || isOwn(holder)) return then()
  const next = (): void => {
    holder.off('finish', next)
    holder.off('close', next)
    afterEarlierAnswers(socket, isOwn, then)
  }
  holder.once('finish', next)
  holder.once('close', next)
}

/** For a request Node gave no response of its own (a CONNECT): every answer is earlier. */
export const noneOwn = (): boolean => false
