// The one line written per request (what it holds and why: logging.ts), by the app's hooks
// and by the kept-list lane alike, and the request ids both give their requests.
import type { FastifyBaseLogger } from 'fastify'
import { logsAt, requestLineLogger } from '../logging.ts'

export interface RequestLine {
  reqId: string
  method: string
  /** Without the query string: query strings may carry credentials. */
  path: string
  /** null: the request got no answer. */
  status: number | null
  ms: number | undefined
  subject: string | undefined
  fault: string | undefined
}

export type WriteRequestLine = (line: RequestLine) => void

/** Writes request lines to the mock's log; undefined when its level writes none. */
export function requestLineWriter(logger: FastifyBaseLogger): WriteRequestLine | undefined {
  if (!logsAt(logger, 'info')) return undefined
  const lines = requestLineLogger(logger)
  return (line) => lines.info(line, 'request')
}

/**
 * Request ids as Fastify's own generator makes them (`req-` and a base-36 count, wrapping
 * at 2³¹ − 1 to stay a small integer), from one count for the app and the lane: no two
 * lines carry the same id.
 */
export function createRequestIds(): () => string {
  let last = 0
  return () => {
    last = (last + 1) & 0x7fffffff
    return `req-${last.toString(36)}`
  }
}
