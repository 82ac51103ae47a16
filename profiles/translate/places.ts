// Reading and writing a location of a request or answer under construction. HTTP Basic
// halves are collected and joined into one Authorization header when the message is done.
import { getAt, MISSING, setAt, type Json } from '../json-pointer.ts'
import type { Location } from '../locations.ts'
import type { Body } from './message.ts'

/** A message being read or built: its path parameters are separate until the path is filled. */
export interface Draft {
  params: Record<string, string>
  query: Record<string, string>
  headers: Record<string, string>
  body: Body
  basic?: { username?: string; password?: string }
}

export function emptyDraft(): Draft {
  return { params: {}, query: {}, headers: {}, body: { kind: 'none' } }
}

/** The value at a location, or undefined when the message has none there. */
export function readPlace(draft: Draft, location: Location): Json | undefined {
  switch (location.kind) {
    case 'body': {
      if (draft.body.kind !== 'json') return undefined
      const found = getAt(draft.body.value, location.pointer)
      return found === MISSING ? undefined : found
    }
    case 'path':
      return draft.params[location.name]
    case 'query':
      return draft.query[location.name]
    case 'header':
      return draft.headers[location.name]
    case 'basic':
      return basicCredentials(draft)?.[location.part]
  }
}

export function writePlace(draft: Draft, location: Location, value: Json): void {
  switch (location.kind) {
    case 'body':
      draft.body = { kind: 'json', value: setAt(draft.body.kind === 'json' ? draft.body.value : undefined, location.pointer, value) }
      return
    case 'path':
      draft.params[location.name] = text(value)
      return
    case 'query':
      draft.query[location.name] = text(value)
      return
    case 'header':
      draft.headers[location.name] = text(value)
      return
    case 'basic':
      draft.basic = { ...draft.basic, [location.part]: text(value) }
  }
}

/** Joins collected Basic halves into the Authorization header. */
export function finishBasic(draft: Draft): void {
  if (!draft.basic) return
  const { username = '', password = '' } = draft.basic
  draft.headers.authorization = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`
  delete draft.basic
}

/** The Basic credentials of the Authorization header, if it carries them. */
export function basicCredentials(draft: Pick<Draft, 'headers'>): { username: string; password: string } | undefined {
  const match = /^basic\s+(\S+)$/i.exec(draft.headers.authorization?.trim() ?? '')
  if (!match) return undefined
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

function text(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}
