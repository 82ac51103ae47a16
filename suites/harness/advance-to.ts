// Expiry cases probe a token just inside and just outside its lifetime. Both instants
// are counted on the target's clock from the token's own `iat`/`exp`, not from when the
// case started: the fraction of a second between issue and probe must not push a
// "still valid" probe over the edge.
import { time } from './time.ts'

/**
 * Lets target time pass up to `epochSeconds` (the scale of JWT `iat`/`exp`): `'at-most'`
 * stops at the latest whole second not past it, `'at-least'` reaches it or goes beyond.
 */
export async function advanceTo(epochSeconds: number, side: 'at-most' | 'at-least'): Promise<void> {
  const delta = epochSeconds - (await time.now()).getTime() / 1000
  await time.advance(Math.max(0, side === 'at-most' ? Math.floor(delta) : Math.ceil(delta)))
}
