// Secrets never reach a report: API secrets, passwords, tokens and credentials in
// headers are replaced wherever they appear — header values, JSON fields, free text
// (error messages quote values) — before anything is written.

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-control-token', 'cookie', 'set-cookie'])
export const SECRET_FIELDS = /^(secret|api_secret|password|access_token|refresh_token|token|id_token|client_secret|current_password|new_password)$/i
export const REDACTED = '[redacted]'

/** Compact JWS/JWT, generated secrets (sk_…), refresh tokens (rt_…), Basic/Bearer/ApiKey credentials. */
const SECRET_PATTERNS: RegExp[] = [
  /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g,
  /\b(sk|rt)_[A-Za-z0-9_-]{8,}/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  /\b(ApiKey)\s+[^\s:"']+:[^\s"',]+/gi,
]

export function redactText(text: string, extraSecrets: readonly string[] = []): string {
  let result = text
  for (const secret of extraSecrets) {
    if (secret.length >= 8) result = result.split(secret).join(REDACTED)
  }
  for (const pattern of SECRET_PATTERNS) {
    result = result.replace(pattern, (match, scheme: string | undefined) =>
      scheme && /^(bearer|basic|apikey)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED,
    )
  }
  return result
}

export function redactHeaders(headers: Record<string, string> | undefined, extraSecrets: readonly string[] = []): Record<string, string> | undefined {
  if (!headers) return headers
  const result: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (SECRET_HEADERS.has(name.toLowerCase())) {
      const scheme = /^(\w+)\s/.exec(value)?.[1]
      result[name] = scheme ? `${scheme} ${REDACTED}` : REDACTED
    } else {
      result[name] = redactText(value, extraSecrets)
    }
  }
  return result
}

/** Redacts a body: JSON is walked (secret-named fields blanked), anything else treated as text. */
export function redactBody(body: string | undefined, extraSecrets: readonly string[] = []): string | undefined {
  if (body === undefined || body === '') return body
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return redactText(body, extraSecrets)
  }
  return redactText(JSON.stringify(redactValue(parsed)), extraSecrets)
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([name, field]) => [name, SECRET_FIELDS.test(name) && field !== null ? REDACTED : redactValue(field)]),
  )
}

/** The values of secret-named fields anywhere in a JSON value (to blank them in free text too). */
export function secretValues(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) secretValues(item, found)
  } else if (value !== null && typeof value === 'object') {
    for (const [name, field] of Object.entries(value)) {
      if (SECRET_FIELDS.test(name) && typeof field === 'string') found.push(field)
      else secretValues(field, found)
    }
  }
  return found
}
