// Requests and answers as the translation layer sees them, on either side: the contract's
// and the profile's wire. Bodies are JSON when they parse, else the bytes as sent (a
// deliberately malformed request keeps its malformed bytes).
import type { Json } from '../json-pointer.ts'

export type Body = { kind: 'none' } | { kind: 'json'; value: Json } | { kind: 'bytes'; bytes: Buffer }

export interface HttpRequest {
  method: string
  /** The concrete path, without the query string. */
  path: string
  query: Record<string, string>
  /** Lower-case names. */
  headers: Record<string, string>
  body: Body
}

export interface HttpAnswer {
  status: number
  /** Lower-case names. */
  headers: Record<string, string>
  body: Body
}

export const NO_BODY: Body = { kind: 'none' }

/** JSON when the bytes parse as JSON (whatever the media type says), else the bytes. */
export function bodyOf(bytes: Buffer | string | undefined): Body {
  if (bytes === undefined || bytes.length === 0) return NO_BODY
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8')
  try {
    return { kind: 'json', value: JSON.parse(text) as Json }
  } catch {
    return { kind: 'bytes', bytes: typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes }
  }
}

export function bodyBytes(body: Body): Buffer | undefined {
  if (body.kind === 'none') return undefined
  return body.kind === 'json' ? Buffer.from(JSON.stringify(body.value), 'utf8') : body.bytes
}

/** The answer's body as JSON when its media type is JSON, else as the contract check reads it. */
export function isJsonMedia(contentType: string | undefined): boolean {
  return contentType !== undefined && /[/+]json\b/i.test(contentType)
}
