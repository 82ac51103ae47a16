// RateLimit-* headers (draft-ietf-httpapi-ratelimit-headers) for the window the domain
// reports as closest to exhaustion, plus Retry-After on 429s (RFC 9110 §10.2.3).

export interface WindowState {
  limit: number
  remaining: number
  /** Whole seconds until the window resets. */
  resetSeconds: number
}

export interface ExhaustedWindow extends WindowState {
  /** Whole seconds (≥ 1) after which the same request succeeds. */
  retryAfterSeconds: number
}

/** No window (no rule applies) means no headers. */
export function rateLimitHeaders(window: WindowState | ExhaustedWindow | null, rejected = false): Record<string, string> {
  if (window === null) return {}
  const headers: Record<string, string> = {
    'ratelimit-limit': String(window.limit),
    'ratelimit-remaining': String(Math.max(0, window.remaining)),
    'ratelimit-reset': String(Math.max(0, Math.ceil(window.resetSeconds))),
  }
  if (rejected && 'retryAfterSeconds' in window) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(window.retryAfterSeconds)))
  }
  return headers
}
