// Who may drive the control extension: with a control token, whoever presents it (the
// mock may sit in a container, reached from another address); without one, loopback
// callers only. Everyone else gets 403.
import { timingSafeEqual, createHash } from 'node:crypto'
import { HttpProblem } from '../http/problem.ts'

export function checkControlAccess(input: {
  controlToken: string | undefined
  presented: string | string[] | undefined
  address: string
}): void {
  if (input.controlToken !== undefined) {
    if (typeof input.presented !== 'string' || !sameSecret(input.presented, input.controlToken)) {
      throw new HttpProblem('forbidden', 'The control extension requires a valid X-Control-Token header.')
    }
    return
  }
  if (!isLoopback(input.address)) {
    throw new HttpProblem('forbidden', 'The control extension answers loopback callers only (start the mock with --control-token to open it).')
  }
}

export function isLoopback(address: string): boolean {
  const ipv4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address
  return ipv4.startsWith('127.') || address === '::1'
}

/** Constant-time comparison that does not leak the length either (both sides hashed). */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(presented), digest(expected))
}
