// Expiry cases probe a token just inside and just outside its lifetime. Both instants
// are counted on the target's clock from the token's own `iat`/`exp`, not from when the
// case started: the fraction of a second between issue and probe must not push a
// "still valid" probe over the edge.
//
// Exact-instant cases go further: they probe *the* second of an expiry or of a window's
// end (RFC 7519: expired "on or after" exp), so they must land inside one given second of
// the target's clock — which only the control clock can do.
import { pause } from './budget.ts'
import { target } from './target.ts'
import { notVerified, time } from './time.ts'

/** Latest fraction of a second to land at: the rest of the second is left for the probe. */
const LATEST_LANDING = 0.5

/**
 * Lets target time pass up to `epochSeconds` (the scale of JWT `iat`/`exp`): `'at-most'`
 * stops at the latest whole second not past it, `'at-least'` reaches it or goes beyond.
 */
export async function advanceTo(epochSeconds: number, side: 'at-most' | 'at-least'): Promise<void> {
  const delta = epochSeconds - (await time.now()).getTime() / 1000
  await time.advance(Math.max(0, side === 'at-most' ? Math.floor(delta) : Math.ceil(delta)))
}

/**
 * Ends the case as not verified unless the run drives the target's clock: waiting (or
 * skipping) cannot place a request inside one given second of another machine's clock.
 */
export function requireExactInstants(): void {
  if (target.timeStrategy !== 'control') {
    notVerified(`probing an exact second of the target's clock needs --time control (with --time ${target.timeStrategy} no request can be placed inside a given second)`)
  }
}

/** The target's clock in (fractional) epoch seconds. */
async function targetNow(): Promise<number> {
  return (await time.now()).getTime() / 1000
}

/**
 * Lets target time pass into the whole epoch second `second`, landing in its first half so
 * that the request probing it still falls inside: when the clock is late in its current
 * second, real time first runs on to the next one.
 */
async function advanceToSecond(second: number): Promise<void> {
  requireExactInstants()
  let now = await targetNow()
  for (let tries = 0; now - Math.floor(now) > LATEST_LANDING && tries < 3; tries += 1) {
    await pause(Math.ceil((1 - (now - Math.floor(now))) * 1000))
    now = await targetNow()
  }
  const steps = second - Math.floor(now)
  // Only a slow set-up gets here (a case aims at a second it has not reached yet).
  if (steps < 0) notVerified(`the target's clock passed second ${second} before the case could probe it (now ${now.toFixed(3)})`)
  await time.advance(steps)
}

/**
 * Runs `probe` (requests and their assertions) inside the whole epoch second `second` of
 * the target's clock — an `exp`, a key's expires_at, a window's end — and checks that it
 * was answered there: when the target took so long that its clock moved on meanwhile, the
 * case ends not verified (which second answered is unknown) rather than passed or failed.
 */
export async function atSecond<T>(second: number, probe: () => Promise<T>): Promise<T> {
  await advanceToSecond(second)
  let outcome: { value: T } | { error: unknown }
  try {
    outcome = { value: await probe() }
  } catch (error) {
    outcome = { error }
  }
  const now = await targetNow()
  if (Math.floor(now) !== second) {
    notVerified(`the probe of second ${second} of the target's clock ended at ${now.toFixed(3)}: too slow to tell which second answered it`)
  }
  if ('error' in outcome) throw outcome.error
  return outcome.value
}

/**
 * Sends a request whose answer does not depend on when within a second it arrives (a
 * refused one, which changes nothing) until the target answered it within one second of
 * its clock; returns the answer and that second. Control clock only.
 */
export async function answeredWithinOneSecond<T>(send: () => Promise<T>): Promise<{ response: T; second: number }> {
  requireExactInstants()
  for (let tries = 0; tries < 3; tries += 1) {
    const before = Math.floor(await targetNow())
    const response = await send()
    if (Math.floor(await targetNow()) === before) return { response, second: before }
  }
  return notVerified('three requests in a row straddled a second of the target clock; the second of the answer is unknown')
}
