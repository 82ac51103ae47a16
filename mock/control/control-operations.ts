// The test-control extension's operations (routes come from the contract, x-feature
// test_control): drive the clock, reset to the fixtures, read the request journal.
import type { Clock } from '../clock.ts'
import type { ResetScope } from '../domain/types.ts'
import { noContent, ok, type OperationTable } from '../http/operation.ts'
import type { Journal } from './journal.ts'

export function controlOperations(clock: Clock, journal: Journal): OperationTable {
  const clockState = () => ({ now: new Date(clock.now()).toISOString(), offset_seconds: Math.floor(clock.offsetSeconds()) })
  return {
    getControlClock: { handle: () => ok(clockState()) },
    advanceControlClock: {
      handle({ body }) {
        clock.advance(body.advance_seconds)
        return ok(clockState())
      },
    },
    resetControlState: {
      async handle({ domain, body }) {
        const scope: ResetScope = body?.scope ?? 'all'
        domain.reset(scope)
        if (scope === 'all') await journal.clear()
        return noContent()
      },
    },
    listControlRequests: { handle: async () => ok({ items: await journal.entries() }) },
  }
}
