// The test-control extension's operations (routes come from the contract, x-feature
// test_control and test_faults): drive the clock, reset to the fixtures, read the request
// journal, inject and clear faults.
import type { Clock } from '../clock.ts'
import type { ResetScope } from '../domain/types.ts'
import { created, noContent, ok, type OperationTable } from '../http/operation.ts'
import type { FaultTable } from './fault-table.ts'
import type { Journal } from './journal.ts'

export interface ControlState {
  clock: Clock
  journal: Journal
  /** Absent where faults are not offered (replicas: a fault lives in one process). */
  faults?: FaultTable
}

export function controlOperations({ clock, journal, faults }: ControlState): OperationTable {
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
        if (scope === 'all') {
          faults?.clear()
          await journal.clear()
        }
        return noContent()
      },
    },
    listControlRequests: { handle: async () => ok({ items: await journal.entries() }) },
    ...(faults && faultOperations(faults)),
  }
}

function faultOperations(faults: FaultTable): OperationTable {
  return {
    injectControlFault: { handle: ({ body }) => created(faults.add(body)) },
    listControlFaults: { handle: () => ok({ items: faults.list() }) },
    clearControlFaults: {
      handle() {
        faults.clear()
        return noContent()
      },
    },
    deleteControlFault: {
      handle({ params }) {
        faults.remove(params.id)
        return noContent()
      },
    },
  }
}
