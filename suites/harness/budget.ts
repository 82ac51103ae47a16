// The run budget inside a worker. verify fixes one deadline for the whole run and hands it
// to every worker with the target configuration; each wait of the harness — a request, a
// rate-limit pause, a real-time wait — ends when it passes. So a run that hits --budget
// stops there, instead of finishing its in-flight cases and clean-ups at the target's pace
// (vitest's own cancel only keeps new cases from starting).
import { caseRunning } from './case-context.ts'
import { BudgetExhaustedError } from './errors.ts'
import { targetConfig } from './target.ts'
import { CLEANUP_GRACE_MS, MAX_TIMER_MS } from './target-config.ts'

let signals: { case: AbortSignal; bookkeeping: AbortSignal } | undefined

/** Aborts, with a BudgetExhaustedError as its reason, when what is running now must stop. */
export function budgetSignal(): AbortSignal {
  if (!signals) {
    const { deadline } = targetConfig()
    signals = {
      case: abortAt(deadline, 'the run budget (--budget) ran out during this case'),
      bookkeeping: abortAt(deadline + CLEANUP_GRACE_MS, `the run budget (--budget) ran out, and ${CLEANUP_GRACE_MS} ms of grace with it`),
    }
  }
  return caseRunning() ? signals.case : signals.bookkeeping
}

function abortAt(epochMs: number, message: string): AbortSignal {
  const left = epochMs - Date.now()
  // Already past (a file that starts after the deadline): nothing more may be sent.
  if (left <= 0) return AbortSignal.abort(new BudgetExhaustedError(message))
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new BudgetExhaustedError(message)), Math.min(left, MAX_TIMER_MS))
  // A pending deadline must not keep a worker that is done alive.
  timer.unref()
  return controller.signal
}

/** Waits `ms`, or rejects with the BudgetExhaustedError when the budget runs out first. */
export function pause(ms: number): Promise<void> {
  const signal = budgetSignal()
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop)
      resolve()
    }, ms)
    signal.addEventListener('abort', stop, { once: true })
  })
}
