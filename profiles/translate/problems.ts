// The error envelope of a profile (`errors`) ↔ the contract's problem details. Wire to
// contract, every code entry that matches the answer is a code it may stand for: the first
// becomes the problem's `code`, all of them its `codes` (a case expecting any of them
// accepts it). An error answer that matches no entry is not translated, and fails the case.
import type { ErrorCodeEntry } from '../format.ts'
import { getAt, MISSING, type Json } from '../json-pointer.ts'
import { parseLocation } from '../locations.ts'
import type { Profile } from '../profile.ts'
import { isJsonMedia, type HttpAnswer } from './message.ts'
import { readPlace, writePlace, emptyDraft } from './places.ts'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

export interface ContractProblem {
  answer: HttpAnswer
  /** Every contract code the wire answer may stand for (the first is the problem's code). */
  codes: string[]
}

export function problemToWire(profile: Profile, answer: HttpAnswer): HttpAnswer {
  const errors = profile.document.errors
  if (!errors || answer.body.kind !== 'json') return answer
  const problem = answer.body.value as { code?: string; status?: number; detail?: string; title?: string }
  const entry =
    errors.codes.find((candidate) => candidate.code === problem.code && candidate.status === answer.status) ??
    errors.codes.find((candidate) => candidate.code === problem.code) ??
    errors.codes.find((candidate) => candidate.status === answer.status)
  const wire = emptyDraft()
  for (const [contract, source] of Object.entries(errors.fields ?? {})) {
    const value = getAt(answer.body.value, contract)
    if (value !== MISSING && typeof source === 'string') writePlace(wire, parseLocation(source), value)
  }
  for (const [location, value] of Object.entries(entry?.constants ?? {})) writePlace(wire, parseLocation(location), value as Json)
  return {
    // The contract answer's status is what the domain decided: the wire says it in its own
    // words (wire_status) where the entry is for that status, and otherwise unchanged — the
    // front must not correct a status the entry's code usually goes with (a mock with the
    // forbidden-as-401 defect answers 401 on every wire, not the envelope's usual 403).
    status: entry?.status === answer.status ? (entry.wire_status ?? entry.status) : answer.status,
    headers: { ...withoutBodyHeaders(answer.headers), ...wire.headers, 'content-type': errors.content_type },
    body: wire.body.kind === 'none' ? { kind: 'json', value: {} } : wire.body,
  }
}

export function problemFromWire(profile: Profile, answer: HttpAnswer): ContractProblem | undefined {
  const errors = profile.document.errors
  if (!errors || answer.status < 400) return undefined
  const mediaType = (answer.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  if (mediaType !== errors.content_type.toLowerCase() && !(isJsonMedia(mediaType) && isJsonMedia(errors.content_type))) return undefined
  const draft = { ...emptyDraft(), headers: answer.headers, body: answer.body }
  const matching = errors.codes.filter((entry) => (entry.wire_status ?? entry.status) === answer.status && constantsHold(entry, draft))
  if (matching.length === 0) return undefined
  const first = matching[0]!
  const detailSource = errors.fields?.['/detail']
  const detail = typeof detailSource === 'string' ? readPlace(draft, parseLocation(detailSource)) : undefined
  const title = titleOf(first.code)
  const problem = { type: `urn:authconform:problem:${first.code}`, title, status: first.status, detail: typeof detail === 'string' ? detail : title, code: first.code }
  return {
    answer: { status: first.status, headers: { ...withoutBodyHeaders(answer.headers), 'content-type': PROBLEM_CONTENT_TYPE }, body: { kind: 'json', value: problem } },
    codes: [...new Set(matching.map((entry) => entry.code))],
  }
}

function constantsHold(entry: ErrorCodeEntry, draft: ReturnType<typeof emptyDraft>): boolean {
  return Object.entries(entry.constants ?? {}).every(([location, value]) => JSON.stringify(readPlace(draft, parseLocation(location))) === JSON.stringify(value))
}

/** 'token_expired' → 'Token expired': the contract leaves titles free; the code is the meaning. */
function titleOf(code: string): string {
  return `${code[0]!.toUpperCase()}${code.slice(1).replaceAll('_', ' ')}`
}

export function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  const { 'content-type': _type, 'content-length': _length, 'transfer-encoding': _encoding, ...rest } = headers
  return rest
}
