/**
 * Records: flat objects with server-set system fields. Every operation is checked by the
 * permissions module: create on the new record, read/delete on the stored one, update on the
 * stored one AND the result; listing returns exactly the readable records, paged by cursor.
 */
import type { StoredRecord } from '../store/store.ts'
import type { DataRecord, Policy, RecordPage } from './contract.ts'
import { iso, type Internals } from './context.ts'
import type { Datasets } from './datasets.ts'
import { ConflictError, InvalidRequestError, NotFoundError } from './errors.ts'
import { createKeptLists, type ListQuery } from './kept-lists.ts'
import type { Permissions } from './permissions.ts'
import { defaultSeams } from './seams.ts'
import { newId } from './secrets.ts'
import type { ListRecordsInput, Principal, RecordTarget } from './types.ts'

export const SYSTEM_FIELDS: ReadonlySet<string> = new Set(['id', 'owner', 'created_at', 'updated_at'])
const FIELD_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/
const RECORD_ID_PATTERN = /^rec_[A-Za-z0-9]{16,}$/
const DEFAULT_LIMIT = 100
const MAX_LIMIT = 1000

type Fields = { [field: string]: unknown }

function isPlainObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Defines an own property even for names like `__proto__`, which plain assignment would not. */
function setOwn(target: Fields, field: string, value: unknown): void {
  Object.defineProperty(target, field, { value, writable: true, enumerable: true, configurable: true })
}

/** Body fields: an object whose names follow the pattern and are not system fields. */
function checkFields(fields: unknown): Fields {
  if (!isPlainObject(fields)) throw new InvalidRequestError('The record must be a JSON object.', [{ in: 'body', path: '', message: 'must be an object' }])
  for (const field of Object.keys(fields)) {
    const problem = SYSTEM_FIELDS.has(field)
      ? `${field} is a system field set by the server.`
      : FIELD_NAME_PATTERN.test(field) ? undefined : `field name ${JSON.stringify(field)} must match ${FIELD_NAME_PATTERN.source}.`
    if (problem !== undefined) throw new InvalidRequestError(problem, [{ in: 'body', path: `/${field.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: problem }])
  }
  return fields
}

/** RFC 7386 JSON merge patch: null removes, objects merge recursively, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch
  const result: Fields = {}
  if (isPlainObject(target)) for (const [field, value] of Object.entries(target)) setOwn(result, field, value)
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete result[field]
    else setOwn(result, field, mergePatch(result[field], value))
  }
  return result
}

function buildRecord(system: Pick<DataRecord, 'id' | 'owner' | 'created_at' | 'updated_at'>, fields: Fields): Readonly<DataRecord> {
  // A literal, not `{ ...system }`: V8 gives every object made by that spread a map of its
  // own, and a dataset of records with 100,000 different maps makes every property read of
  // a scan (the policy filters, the JSON) a slow, megamorphic one. Records built alike share
  // their maps.
  const record: Fields = { id: system.id, owner: system.owner, created_at: system.created_at, updated_at: system.updated_at }
  for (const [field, value] of Object.entries(fields)) if (!SYSTEM_FIELDS.has(field)) setOwn(record, field, value)
  return Object.freeze(record) as DataRecord
}

function encodeCursor(dataset: string, seq: number): string {
  return Buffer.from(`${dataset}\u0000${seq}`, 'utf8').toString('base64url')
}

function decodeCursor(dataset: string, cursor: string): number {
  const [name, seq] = Buffer.from(cursor, 'base64url').toString('utf8').split('\u0000')
  if (name !== dataset || seq === undefined || !/^\d{1,15}$/.test(seq)) {
    throw new InvalidRequestError('The cursor is not valid for this list.', [{ in: 'query', path: '/cursor', message: 'invalid cursor' }])
  }
  return Number(seq)
}

export function createRecords({ clock, store, seams }: Internals, datasets: Datasets, permissions: Permissions) {
  const keptLists = createKeptLists({
    version: (dataset) => store.records.version(dataset),
    // Kept only while a page is a function of what keys it (kept-lists.ts).
    enabled: permissions.decidesByGrantingList && seams.listIncludes === defaultSeams.listIncludes,
  })

  /** Dataset exists → some policy grants the action → record exists → admitted (else 403/404). */
  function authorizeStored({ principal, dataset, id }: RecordTarget, action: 'read' | 'update' | 'delete') {
    datasets.require(dataset)
    const granted = permissions.requireGrant(principal, dataset, action)
    const stored = store.records.get(dataset, id)
    if (stored === undefined) throw new NotFoundError('No such record.')
    permissions.requireAdmitted(principal, dataset, granted, stored.record)
    return { stored, granted }
  }

  function insert(dataset: string, owner: string, fields: Fields, id: string, authorize: (record: DataRecord) => void): DataRecord {
    const now = iso(clock.now())
    const record = buildRecord({ id, owner, created_at: now, updated_at: now }, fields)
    authorize(record)
    store.records.insert(dataset, { seq: store.nextSeq(), record })
    return record
  }

  /** What decides a list's page (kept-lists.ts), after the checks that refuse it before any record is read. */
  function listQuery({ principal, dataset, limit = DEFAULT_LIMIT, cursor }: ListRecordsInput): ListQuery {
    datasets.require(dataset)
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidRequestError(`limit must be an integer from 1 to ${MAX_LIMIT}.`, [{ in: 'query', path: '/limit', message: 'out of range' }])
    }
    return { dataset, granted: permissions.granted(principal, dataset, 'read'), callerId: principal.subject.id, limit, cursor }
  }

  /** The page as the policies decide it now: the cursor checked (400), then the grant (403), then the scan. */
  function listPage(principal: Principal, dataset: string, granted: readonly Policy[] | null, limit: number, cursor: string | null | undefined): RecordPage {
    const afterSeq = cursor === undefined || cursor === null ? 0 : decodeCursor(dataset, cursor)
    const admits = permissions.admitter(principal, permissions.requireGrant(principal, dataset, 'read', granted))
    // One callback for the seam, made once: it reads the record of the current iteration.
    let candidate: DataRecord | undefined
    const candidateAdmitted = (): boolean => admits(candidate!)
    const items: DataRecord[] = []
    let lastSeq = afterSeq
    let more = false
    store.records.scan(dataset, afterSeq, (entry) => {
      candidate = entry.record
      if (!seams.listIncludes(candidateAdmitted)) return true
      // One readable record beyond the page proves there is a next page.
      if (items.length === limit) {
        more = true
        return false
      }
      items.push(entry.record)
      lastSeq = entry.seq
      return true
    })
    return { items, next_cursor: more ? encodeCursor(dataset, lastSeq) : null }
  }

  return {
    /** The kept list answers (their number and records, for stateCounts). */
    keptLists,

    list(input: ListRecordsInput): RecordPage {
      const query = listQuery(input)
      // Only answers are kept, never refusals: a kept page proves its cursor valid and its grant given.
      return keptLists.page(query, () => listPage(input.principal, query.dataset, query.granted, query.limit, query.cursor))
    },

    /** The page `list` would answer when it is kept and current, else undefined; throws what `list` throws first. */
    keptPage: (input: ListRecordsInput): RecordPage | undefined => keptLists.peek(listQuery(input)),

    get: (target: RecordTarget): DataRecord => authorizeStored(target, 'read').stored.record,

    create({ principal, dataset, fields }: { principal: Principal; dataset: string; fields: Fields }): DataRecord {
      datasets.require(dataset)
      const granted = permissions.requireGrant(principal, dataset, 'create')
      return insert(dataset, principal.subject.id, checkFields(fields), newId('rec'), (record) =>
        permissions.requireAdmitted(principal, dataset, granted, record, null),
      )
    },

    patch(target: RecordTarget & { patch: Fields }): DataRecord {
      const { stored, granted } = authorizeStored(target, 'update')
      const changes = checkFields(target.patch)
      const { id, owner, created_at: createdAt } = stored.record
      const merged = mergePatch(stored.record, changes) as Fields
      const record = buildRecord({ id, owner, created_at: createdAt, updated_at: iso(clock.now()) }, merged)
      // The result must be admitted too; refusal is judged on the stored record (PERM-011).
      permissions.requireAdmitted(target.principal, target.dataset, granted, record, seams.updateRefusalJudgedOn(stored.record))
      const updated: StoredRecord = { seq: stored.seq, record }
      store.records.replace(target.dataset, updated)
      return record
    },

    delete(target: RecordTarget): void {
      authorizeStored(target, 'delete')
      store.records.delete(target.dataset, target.id)
    },

    /** Fixtures: a record with an explicit owner (and id), without policy checks. */
    seed({ dataset, owner, fields, id }: { dataset: string; owner: string; fields: Fields; id?: string }): DataRecord {
      datasets.require(dataset)
      const recordId = id ?? newId('rec')
      if (!RECORD_ID_PATTERN.test(recordId)) throw new InvalidRequestError(`record id must match ${RECORD_ID_PATTERN.source}.`)
      if (store.records.get(dataset, recordId) !== undefined) throw new ConflictError(`Record ${recordId} already exists.`)
      return insert(dataset, owner, checkFields(fields), recordId, () => undefined)
    },
  }
}
