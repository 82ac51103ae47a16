// Waiting out rate limits in the harness's own requests.
import { pause } from './budget.ts'
import type { ApiResponse } from './client.ts'

/** The longest a set-up helper waits out a rate limit before it gives up. */
const RATE_LIMIT_PATIENCE_SECONDS = 60

/**
 * Sends a set-up request again after a 429's Retry-After. Set-up is not the subject under
 * test: on a fast machine the ordinary suites, all from one address, can touch a
 * per-address limit, and that must not fail an unrelated case.
 */
export async function patiently(send: () => Promise<ApiResponse<any>>): Promise<ApiResponse<any>> {
  let waited = 0
  for (;;) {
    const response = await send()
    const retryAfter = Number(response.headers['retry-after'])
    if (response.status !== 429 || !(retryAfter > 0) || waited + retryAfter > RATE_LIMIT_PATIENCE_SECONDS) return response
    waited += retryAfter
    await pause(retryAfter * 1000) // ends with the run's budget
  }
}
