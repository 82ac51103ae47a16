// Field rules applied in either direction — the one mapping a profile states, read one way
// for verify and the other way for the mock. `consumed` records which places of the side
// read from were taken, so that `carry` moves only what no rule took.
import type { Json } from '../json-pointer.ts'
import { topLevel } from '../json-pointer.ts'
import type { Location } from '../locations.ts'
import type { Constant, FieldRule } from '../profile.ts'
import { emptyDraft, readPlace, writePlace, type Draft } from './places.ts'

export type Direction = 'toWire' | 'toContract'

export interface RuleContext {
  /** The declared lifetimes ({lifetime: access|refresh}), in seconds. */
  lifetimes: { access?: number; refresh?: number }
  /** The contract request an answer is to ({request: location}). */
  request?: Draft
}

/** A place's key in a consumed set: 'body:name' (a top-level member; 'body:' the whole body), 'query:x', 'header:x', 'path:x', 'basic'. */
export function placeKey(location: Location): string {
  switch (location.kind) {
    case 'body':
      return `body:${topLevel(location.pointer)}`
    case 'path':
      return `path:${location.name}`
    case 'query':
      return `query:${location.name}`
    case 'header':
      return `header:${location.name}`
    case 'basic':
      return 'header:authorization'
  }
}

/** Applies the rules from one side's draft to the other's; returns the keys of the places read. */
export function applyRules(rules: readonly FieldRule[], direction: Direction, from: Draft, to: Draft, context: RuleContext): Set<string> {
  const consumed = new Set<string>()
  for (const rule of rules) {
    const { source } = rule
    if (source.kind !== 'place') {
      // Values the profile supplies exist on the contract side only.
      if (direction === 'toWire') {
        consumed.add(placeKey(rule.contract))
        continue
      }
      const value =
        source.kind === 'const' ? source.value
        : source.kind === 'lifetime' ? context.lifetimes[source.which]
        : context.request && readPlace(context.request, source.at)
      if (value !== undefined) writePlace(to, rule.contract, value)
      continue
    }
    const [fromPlace, toPlace] = direction === 'toWire' ? [rule.contract, source.wire] : [source.wire, rule.contract]
    let value = readPlace(from, fromPlace)
    if (value === undefined) continue
    consumed.add(placeKey(fromPlace))
    if (source.each && Array.isArray(value)) value = value.map((element) => mapElement(source.each!, source.carry, direction, element, context))
    if (source.keyId) {
      value = keyString(direction, value, source.keyId, from, to, consumed)
      if (value === undefined) continue
    }
    if (source.format) {
      if (direction === 'toWire') value = source.format.write({ value: String(value) })
      else {
        const read = source.format.read(String(value))
        if (!read) continue
        value = read.value!
      }
    }
    writePlace(to, toPlace, value)
  }
  return consumed
}

/**
 * An API key string on the wire is `<id>.<secret>`: toward the wire the contract's secret is
 * joined to its key id (unless it is joined already); toward the contract it is split, the
 * id written at `keyId`. Returns what goes to the rule's own place.
 */
function keyString(direction: Direction, value: Json, keyId: Location, from: Draft, to: Draft, consumed: Set<string>): Json | undefined {
  if (typeof value !== 'string') return value
  if (direction === 'toWire') {
    const id = readPlace(from, keyId)
    consumed.add(placeKey(keyId))
    return typeof id !== 'string' || value.startsWith(`${id}.`) ? value : `${id}.${value}`
  }
  const dot = value.indexOf('.')
  if (dot < 0) return value
  writePlace(to, keyId, value.slice(0, dot))
  return value.slice(dot + 1)
}

function mapElement(rules: readonly FieldRule[], carry: boolean, direction: Direction, element: Json, context: RuleContext): Json {
  const from: Draft = { ...emptyDraft(), body: { kind: 'json', value: element } }
  const to = emptyDraft()
  const consumed = applyRules(rules, direction, from, to, context)
  if (carry) carryBody(from, to, consumed)
  return to.body.kind === 'json' ? to.body.value : {}
}

/** Writes the constants a call or an answer always carries. */
export function writeConstants(constants: readonly Constant[], to: Draft): void {
  for (const constant of constants) writePlace(to, constant.wire, constant.value)
}

export function constantKeys(constants: readonly Constant[]): Set<string> {
  return new Set(constants.map((constant) => placeKey(constant.wire)))
}

/** The constants all hold on the draft: how the mock tells calls that share a path apart. */
export function constantsHold(constants: readonly Constant[], draft: Draft): boolean {
  return constants.every((constant) => JSON.stringify(readPlace(draft, constant.wire)) === JSON.stringify(constant.value))
}

/** Top-level body members of `from` that no rule read, under the same names (existing members of `to` win). */
export function carryBody(from: Draft, to: Draft, consumed: ReadonlySet<string>): string[] {
  if (from.body.kind !== 'json' || consumed.has('body:')) return []
  const value = from.body.value
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return consumed.size === 0 ? carryWhole(from, to) : []
  const moved: string[] = []
  for (const [name, member] of Object.entries(value)) {
    if (consumed.has(`body:${name}`)) continue
    const target = to.body.kind === 'json' && to.body.value !== null && typeof to.body.value === 'object' && !Array.isArray(to.body.value) ? to.body.value : {}
    if (!Object.hasOwn(target, name)) target[name] = member
    to.body = { kind: 'json', value: target }
    moved.push(name)
  }
  return moved
}

function carryWhole(from: Draft, to: Draft): string[] {
  if (to.body.kind !== 'none') return []
  to.body = from.body
  return ['']
}

/** Query parameters of `from` that no rule read, under the same names. */
export function carryQuery(from: Draft, to: Draft, consumed: ReadonlySet<string>): string[] {
  const moved: string[] = []
  for (const [name, value] of Object.entries(from.query)) {
    if (consumed.has(`query:${name}`)) continue
    to.query[name] ??= value
    moved.push(name)
  }
  return moved
}
