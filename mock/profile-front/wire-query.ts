// How a wire format's list selects records (a profile's `request.query`), where the
// contract's listRecords pages by cursor: the front reads every page of the contract's
// answer — the records the caller's policies admit, in their order — and answers the ones
// the query selects (all of them for a list without paging). The syntaxes are pure modules
// of profiles/filters/; a query the syntax refuses is a 400.
import { JexiaQueryError, select as jexiaSelect } from '../../profiles/filters/jexia-cond.ts'
import type { WireCall } from '../../profiles/profile.ts'
import type { HttpAnswer, HttpRequest } from '../../profiles/translate/message.ts'

type Row = { [field: string]: unknown }
export type WireQuery = NonNullable<WireCall['request']['query']>
type Syntax = (records: Row[], query: Record<string, string>) => Row[]

const SYNTAXES: Record<WireQuery, Syntax> = {
  // The SDK's `where` travels as `cond`, its limit and offset as `range`.
  jexia: (records, query) => jexiaSelect(records, { ...(query.cond !== undefined && { cond: query.cond }), ...(query.range !== undefined && { range: query.range }) }),
  // A list without paging: every record.
  all: (records) => records,
}

/** The largest page the contract's list answers. */
const PAGE = 1000

export type QueryAnswer =
  /** The contract's answer with the selected records as its one page (or its error as it came). */
  | { kind: 'answer'; answer: HttpAnswer }
  /** The query cannot have been written by a client of the system: one sentence. */
  | { kind: 'invalid'; reason: string }

export async function answerWireQuery(
  syntax: WireQuery,
  /** The wire request (its query string carries the query). */
  wire: HttpRequest,
  /** The contract's listRecords request it was translated to. */
  translated: HttpRequest,
  contract: (request: HttpRequest) => Promise<HttpAnswer>,
): Promise<QueryAnswer> {
  const items: Row[] = []
  const { limit: _limit, cursor: _cursor, ...query } = translated.query
  let cursor: string | null = null
  let last: HttpAnswer
  do {
    last = await contract({ ...translated, query: { ...query, limit: String(PAGE), ...(cursor !== null && { cursor }) } })
    if (last.status !== 200 || last.body.kind !== 'json') return { kind: 'answer', answer: last }
    const page = last.body.value as { items: Row[]; next_cursor: string | null }
    items.push(...page.items)
    cursor = page.next_cursor
  } while (cursor !== null)
  try {
    const selected = SYNTAXES[syntax](items, wire.query)
    return { kind: 'answer', answer: { ...last, body: { kind: 'json', value: { items: selected, next_cursor: null } as never } } }
  } catch (error) {
    if (error instanceof JexiaQueryError) return { kind: 'invalid', reason: error.message }
    throw error
  }
}
