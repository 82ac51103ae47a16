// Driving the target's clock with the run's --time strategy (DESIGN "Time in the
// suites"). A case that cannot get the time it needs ends *not verified*, never passed.
import { pause } from './budget.ts'
import { stopCase } from './case-context.ts'
import type { Feature } from './contract-types.ts'
import { send, type HttpResponse } from './http.ts'
import { target, targetConfig } from './target.ts'

let waitedThisCase = 0

/** Called by the setup file at the start of every case. */
export function resetCaseTime(): void {
  waitedThisCase = 0
}

function controlHeaders(): Record<string, string> {
  const token = targetConfig().controlToken
  return {
    'content-type': 'application/json',
    accept: 'application/json',
    ...(token ? { 'x-control-token': token } : {}),
  }
}

/** The test-control extension (feature test_control), with the run's --control-token. */
export const control = {
  /**
   * Any /__control call; the response is contract-checked like every other — against the
   * contract's control operations even under a profile, whose wire has no control extension.
   */
  request(method: 'GET' | 'POST' | 'DELETE', path: `/__control/${string}`, body?: unknown): Promise<HttpResponse<any>> {
    return send({ method, path, headers: controlHeaders(), body: body === undefined ? undefined : JSON.stringify(body), asIs: true })
  },
}

async function controlOrThrow(method: 'GET' | 'POST', path: `/__control/${string}`, body?: unknown) {
  const response = await control.request(method, path, body)
  if (response.status >= 300) {
    throw new Error(`${method} ${path} answered ${response.status}: ${response.text.slice(0, 200)}`)
  }
  return response
}

export const time = {
  /**
   * Ends the case as not verified unless `seconds` of target time can pass in this case
   * under the run's strategy. Call it before the setup work of a case that will advance.
   */
  require(seconds: number): void {
    const strategy = target.timeStrategy
    if (strategy === 'skip') stopCase('not_verified', `needs ${seconds} s of target time; --time skip`)
    if (strategy === 'wait' && waitedThisCase + seconds > target.maxWaitSeconds) {
      stopCase('not_verified', `needs ${seconds} s of waiting, more than --max-wait ${target.maxWaitSeconds} s`)
    }
  },

  /** Lets `seconds` of target time pass: control → clock advance, wait → real sleep. */
  async advance(seconds: number): Promise<void> {
    if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`time.advance(${seconds}): whole seconds ≥ 0`)
    time.require(seconds)
    if (target.timeStrategy === 'control') {
      await controlOrThrow('POST', '/__control/clock', { advance_seconds: seconds })
      return
    }
    waitedThisCase += seconds
    await pause(seconds * 1000)
  },

  /** The target's current time (control: its clock; otherwise this machine's). */
  async now(): Promise<Date> {
    if (target.timeStrategy !== 'control') return new Date()
    const response = await controlOrThrow('GET', '/__control/clock')
    return new Date((response.body as { now: string }).now)
  },

  /**
   * Starts fresh rate-limit windows for everyone (control: POST /__control/reset); false
   * when the strategy cannot, so a case that needs exact counts can end not verified.
   */
  async resetRateLimits(): Promise<boolean> {
    if (target.timeStrategy !== 'control') return false
    await controlOrThrow('POST', '/__control/reset', { scope: 'rate_limits' })
    return true
  },
}

/** Ends the case as not applicable when discovery does not list the optional feature. */
export function requireFeature(feature: Feature): void {
  if (!target.features.has(feature)) notApplicable(`the target does not list the feature ${feature} in discovery`)
}

/** Ends the case as not applicable (the target does not claim what it checks). */
export function notApplicable(reason: string): never {
  return stopCase('not_applicable', reason)
}

/** Ends the case as not verified (it could not be checked on this run). */
export function notVerified(reason: string): never {
  return stopCase('not_verified', reason)
}
