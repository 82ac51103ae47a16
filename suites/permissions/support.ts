// What the permission suites share: callers (a key or a user with a live token, and who
// it is for the reference evaluator) and reading a whole record list page by page.
import { expect } from 'vitest'
import { api, crediting, given, target, type Client, type Credential, type DatasetRecord } from '../harness/index.ts'
import type { Caller } from './reference-evaluator.ts'

export interface Subject {
  /** The subject as policies and the reference evaluator name it. */
  caller: Caller
  /** The subject's bearer credential, for given.record and raw requests. */
  credential: Credential
  /** A client that presents it. */
  client: Client
}

/**
 * How a subject holds its tokens: renewed once half-expired (given.bearer), so that a
 * file's long-lived subjects outlast a short access_token_ttl; or `held`, one token for
 * good, for a case whose point is the token already held (PERM-012: a policy change
 * reaches the tokens callers hold, no re-login).
 */
export interface SubjectOptions {
  held?: boolean
}

async function subject(caller: Caller, who: Parameters<typeof given.bearer>[0], options: SubjectOptions): Promise<Subject> {
  const session = await given.bearer(who)
  const credential = options.held ? { bearer: (await session.tokens()).access_token } : session
  return { caller, credential, client: api.as(credential) }
}

/** A client key with a session of its own. */
export async function keySubject(options: SubjectOptions = {}): Promise<Subject> {
  const key = await given.key()
  return subject({ type: 'api_key', id: key.id, namespaces: [] }, key, options)
}

/** A user in `namespaces`, signed in. */
export async function userSubject(namespaces: string[] = [], options: SubjectOptions = {}): Promise<Subject> {
  const user = await given.user({ namespaces })
  return subject({ type: 'user', id: user.id, namespaces }, user, options)
}

/** A namespace name no other run or file uses (namespaces exist only in user records). */
export function uniqueNamespace(): string {
  return `ns-${target.runId}-${target.faker.string.alphanumeric(10)}`
}

/** The policy subject naming this caller directly. */
export function subjectRef(subject: Subject): { type: 'api_key' | 'user'; id: string } {
  return { type: subject.caller.type as 'api_key' | 'user', id: subject.caller.id }
}

export interface Listing {
  status: number
  records: DatasetRecord[]
  pages: number
}

/**
 * Follows next_cursor to the end (PERM-018): every page answers 200 with at most `limit`
 * items. A first answer other than 200 is returned as is, for refusal cases.
 */
export async function listAll(client: Client, dataset: string, limit?: number): Promise<Listing> {
  const records: DatasetRecord[] = []
  let cursor: string | undefined
  for (let pages = 1; ; pages += 1) {
    const response = await client.get('/v1/datasets/{name}/records', { params: { name: dataset }, query: { limit, cursor } })
    if (response.status !== 200) {
      expect(pages, `page ${pages} answered ${response.status} after a 200 page`).toBe(1)
      return { status: response.status, records, pages }
    }
    const page = response.body as { items: DatasetRecord[]; next_cursor: string | null }
    expect(page.items.length, `page ${pages} holds more than limit ${limit ?? 100}`).toBeLessThanOrEqual(limit ?? 100)
    records.push(...page.items)
    if (page.next_cursor === null) return { status: 200, records, pages }
    expect(pages, 'next_cursor never ends').toBeLessThan(1000)
    cursor = page.next_cursor
  }
}

/** The ids a list returned, sorted, failing on duplicates (PERM-018: each record once). */
export function idsOf(records: readonly { id: string }[]): string[] {
  const ids = records.map((record) => record.id).sort()
  expect(new Set(ids).size, `the list repeats records: ${ids.join(', ')}`).toBe(ids.length)
  return ids
}

/** Lists as `client` and returns the sorted ids, expecting 200. */
export async function visibleIds(client: Client, dataset: string, limit?: number): Promise<string[]> {
  const listing = await listAll(client, dataset, limit)
  expect(listing.status, 'listing records').toBe(200)
  return idsOf(listing.records)
}

/**
 * A listing of `client` held exactly the records `expected`. When it did not, which rule
 * decided: a listing that disagrees with what the same caller's single reads admit fails
 * PERM-007 (listing returns exactly the readable records); one that agrees with them fails
 * the rule the case checks through the listing (its other requirements).
 */
export async function expectListing(client: Client, dataset: string, listed: readonly string[], expected: readonly string[]): Promise<void> {
  const sorted = [...listed].sort()
  const wanted = [...expected].sort()
  if (JSON.stringify(sorted) === JSON.stringify(wanted)) return
  const all = await visibleIds(api.admin, dataset)
  const reads = await Promise.all(all.map(async (id) => ((await client.get('/v1/datasets/{name}/records/{id}', { params: { name: dataset, id } })).status === 200 ? [id] : [])))
  const readable = reads.flat().sort()
  crediting(JSON.stringify(readable) === JSON.stringify(sorted) ? { except: ['PERM-007'] } : ['PERM-007'], () => expect(sorted).toEqual(wanted))
}

/** A syntactically valid record id that no record has. */
export function absentRecordId(): string {
  return `rec_${'0'.repeat(20)}`
}

/** Expected ids in the order visibleIds returns them. */
export function sortedIds(...ids: (string | undefined)[]): string[] {
  return ids.map((id) => id ?? '(missing id)').sort()
}
