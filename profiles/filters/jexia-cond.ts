/**
 * Jexia's record query, as its SDK (jexia-sdk-js 5.12.0, internal/query.ts and
 * api/core/filteringCondition.ts) writes it into the query string of `GET /ds/{dataset}`:
 *
 * - `cond`: a JSON array. A condition is three elements `{"field": NAME}, OPERATOR, VALUE`;
 *   conditions and nested arrays (parenthesised groups) are joined by "and" / "or":
 *   `[{"field":"total"},">",100,"and",[{"field":"status"},"=","paid","or",...]]`.
 * - `range`: a JSON object `{"limit": n, "offset": k}`.
 *
 * A wire-only query: the contract's list has no filter, so the mock under the jexia profile
 * applies it to the records the contract answers (those the caller's policies admit).
 * Where the SDK is silent the choices are the SQL ones Jexia's backend most plausibly shares
 * (it stores datasets in PostgreSQL): "and" binds tighter than "or"; a comparison between
 * different JSON types, or with a field the record lacks (SQL NULL), does not hold;
 * `like` is SQL LIKE (`%` any run, `_` one character, case-sensitive); `between` is
 * inclusive; `regex` is a JavaScript regular expression.
 */

export type RecordLike = { readonly [field: string]: unknown }
export type RecordTest = (record: RecordLike) => boolean

/** A query the SDK cannot have written: one sentence saying what is wrong, for a 400. */
export class JexiaQueryError extends Error {
  override name = 'JexiaQueryError'
}

type Scalar = string | number | boolean | null

const OPERATORS: Record<string, (expected: unknown) => (actual: unknown) => boolean> = {
  '=': (expected) => (actual) => sameType(actual, expected) && actual === expected,
  '!=': (expected) => (actual) => sameType(actual, expected) && actual !== expected,
  '>': (expected) => ordered(expected, (sign) => sign > 0),
  '>=': (expected) => ordered(expected, (sign) => sign >= 0),
  '<': (expected) => ordered(expected, (sign) => sign < 0),
  '<=': (expected) => ordered(expected, (sign) => sign <= 0),
  in: (expected) => {
    const candidates = scalars(expected, 'in')
    return (actual) => candidates.some((candidate) => sameType(actual, candidate) && actual === candidate)
  },
  'not in': (expected) => {
    const candidates = scalars(expected, 'not in')
    return (actual) => isScalar(actual) && actual !== null && !candidates.some((candidate) => sameType(actual, candidate) && actual === candidate)
  },
  null: (expected) => {
    if (typeof expected !== 'boolean') throw new JexiaQueryError('"null" takes true or false')
    return (actual) => (actual === null || actual === undefined) === expected
  },
  like: (expected) => {
    if (typeof expected !== 'string') throw new JexiaQueryError('"like" takes a string pattern')
    const pattern = new RegExp(`^${[...expected].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 's')
    return (actual) => typeof actual === 'string' && pattern.test(actual)
  },
  regex: (expected) => {
    if (typeof expected !== 'string') throw new JexiaQueryError('"regex" takes a string')
    let pattern: RegExp
    try {
      pattern = new RegExp(expected)
    } catch {
      throw new JexiaQueryError(`"regex" value ${JSON.stringify(expected)} is no regular expression`)
    }
    return (actual) => typeof actual === 'string' && pattern.test(actual)
  },
  between: (expected) => {
    if (!Array.isArray(expected) || expected.length !== 2) throw new JexiaQueryError('"between" takes [start, end]')
    const [low, high] = [ordered(expected[0], (sign) => sign >= 0), ordered(expected[1], (sign) => sign <= 0)]
    return (actual) => low(actual) && high(actual)
  },
}

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value)
}

function sameType(actual: unknown, expected: unknown): boolean {
  return isScalar(actual) && isScalar(expected) && actual !== null && expected !== null && typeof actual === typeof expected
}

function scalars(expected: unknown, operator: string): Scalar[] {
  if (!Array.isArray(expected) || !expected.every(isScalar)) throw new JexiaQueryError(`"${operator}" takes an array of values`)
  return expected
}

/** Numbers with numbers, strings with strings (by code point); anything else does not hold. */
function ordered(expected: unknown, accept: (sign: number) => boolean): (actual: unknown) => boolean {
  if (typeof expected === 'number') return (actual) => typeof actual === 'number' && accept(Math.sign(actual - expected))
  if (typeof expected === 'string') return (actual) => typeof actual === 'string' && accept(actual < expected ? -1 : actual > expected ? 1 : 0)
  throw new JexiaQueryError(`an ordering operator takes a number or a string, not ${JSON.stringify(expected)}`)
}

/** `{"field": NAME}` → NAME. */
function fieldName(element: unknown): string {
  const name = (element as { field?: unknown } | null)?.field
  if (typeof element !== 'object' || element === null || Array.isArray(element) || typeof name !== 'string' || Object.keys(element).length !== 1) {
    throw new JexiaQueryError(`expected {"field": NAME}, found ${JSON.stringify(element)}`)
  }
  return name
}

/** One expression: terms joined by and/or, "and" binding tighter. */
function expression(elements: readonly unknown[]): RecordTest {
  const alternatives: RecordTest[][] = [[]]
  let i = 0
  for (;;) {
    const element = elements[i]
    let term: RecordTest
    if (Array.isArray(element)) {
      term = expression(element)
      i += 1
    } else {
      if (elements.length - i < 3) throw new JexiaQueryError('a condition is {"field": NAME}, OPERATOR, VALUE')
      const name = fieldName(element)
      const operator = elements[i + 1]
      const build = typeof operator === 'string' ? OPERATORS[operator] : undefined
      if (build === undefined) throw new JexiaQueryError(`unknown operator ${JSON.stringify(operator)}`)
      const test = build(elements[i + 2])
      term = (record) => test(Object.hasOwn(record, name) ? record[name] : undefined)
      i += 3
    }
    alternatives[alternatives.length - 1]!.push(term)
    if (i === elements.length) break
    const joint = elements[i]
    if (joint === 'or') alternatives.push([])
    else if (joint !== 'and') throw new JexiaQueryError(`expected "and" or "or", found ${JSON.stringify(joint)}`)
    i += 1
    if (i === elements.length) throw new JexiaQueryError(`"${joint}" ends the condition`)
  }
  return (record) => alternatives.some((terms) => terms.every((term) => term(record)))
}

/** A query parameter's JSON value. */
function json(parameter: 'cond' | 'range', text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new JexiaQueryError(`${parameter} is not JSON`)
  }
}

/** The record test of a `cond` query parameter (its decoded text). */
export function parseCond(text: string): RecordTest {
  const value = json('cond', text)
  if (!Array.isArray(value) || value.length === 0) throw new JexiaQueryError('cond is a non-empty JSON array')
  return expression(value)
}

export interface Range {
  limit?: number
  offset: number
}

/** The `range` query parameter: `{"limit": n, "offset": k}`, both optional non-negative integers. */
export function parseRange(text: string): Range {
  const value = json('range', text)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JexiaQueryError('range is a JSON object {limit, offset}')
  const { limit, offset = 0, ...rest } = value as Record<string, unknown>
  const unknown = Object.keys(rest)[0]
  if (unknown !== undefined) throw new JexiaQueryError(`range has no member ${JSON.stringify(unknown)}`)
  for (const [name, number] of [['limit', limit], ['offset', offset]] as const) {
    if (number !== undefined && !(Number.isInteger(number) && (number as number) >= 0)) throw new JexiaQueryError(`range.${name} is a non-negative integer`)
  }
  return { ...(limit !== undefined && { limit: limit as number }), offset: offset as number }
}

/** The page of `records` that `cond` and `range` select, in their order. */
export function select<T extends RecordLike>(records: readonly T[], query: { cond?: string; range?: string }): T[] {
  const test = query.cond === undefined ? undefined : parseCond(query.cond)
  const range = query.range === undefined ? { offset: 0 } : parseRange(query.range)
  const matching = test === undefined ? records : records.filter(test)
  return matching.slice(range.offset, range.limit === undefined ? undefined : range.offset + range.limit)
}
