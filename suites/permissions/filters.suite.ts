// Filter conditions: each operator's meaning (PERM-006), missing fields and type
// mismatches (PERM-005), checked both by listing and by asking the evaluator.
import { beforeAll, describe, expect, it } from 'vitest'
import { api, given, type DatasetRecord } from '../harness/index.ts'
import type { Condition } from './reference-evaluator.ts'
import { expectListing, keySubject, listAll, subjectRef, uniqueNamespace, type Subject } from './support.ts'

/** One record per label; `v` is the field the conditions look at (absent for 'missing'). */
const VALUES: Record<string, unknown> = {
  n5: 5,
  n10: 10,
  n10_5: 10.5,
  n20: 20,
  s10: '10',
  s9: '9',
  sabc: 'abc',
  // U+FF5E, and U+1F600: above it by code point, below it by UTF-16 unit (a surrogate pair).
  sfull: '\uFF5E',
  sastral: '\u{1F600}',
  true: true,
  false: false,
  null: null,
  array10: [10],
  object: { v: 10 },
  missing: undefined,
}

/** [condition, labels it admits]: each row is one operator on one kind of value. */
const OPERATOR_CASES: [Condition, string[]][] = [
  [{ field: 'v', op: 'eq', value: 10 }, ['n10']],
  [{ field: 'v', op: 'eq', value: '10' }, ['s10']],
  [{ field: 'v', op: 'eq', value: true }, ['true']],
  [{ field: 'v', op: 'eq', value: null }, ['null']],
  [{ field: 'v', op: 'ne', value: 10 }, ['n5', 'n10_5', 'n20']],
  [{ field: 'v', op: 'ne', value: 'abc' }, ['s10', 's9', 'sfull', 'sastral']],
  [{ field: 'v', op: 'ne', value: false }, ['true']],
  [{ field: 'v', op: 'gt', value: 10 }, ['n10_5', 'n20']],
  [{ field: 'v', op: 'gte', value: 10 }, ['n10', 'n10_5', 'n20']],
  [{ field: 'v', op: 'lt', value: 10 }, ['n5']],
  [{ field: 'v', op: 'lte', value: 10 }, ['n5', 'n10']],
  [{ field: 'v', op: 'gt', value: '10' }, ['s9', 'sabc', 'sfull', 'sastral']],
  [{ field: 'v', op: 'lt', value: '9' }, ['s10']],
  [{ field: 'v', op: 'gte', value: 'abc' }, ['sabc', 'sfull', 'sastral']],
  [{ field: 'v', op: 'lte', value: '10' }, ['s10']],
  // Strings compare by code point (PERM-006), not by UTF-16 unit.
  [{ field: 'v', op: 'gt', value: '\uFF5E' }, ['sastral']],
  [{ field: 'v', op: 'lt', value: '\u{1F600}' }, ['s10', 's9', 'sabc', 'sfull']],
  [{ field: 'v', op: 'in', value: [5, '9', null] }, ['n5', 's9', 'null']],
  [{ field: 'v', op: 'in', value: [10] }, ['n10']],
  [{ field: 'v', op: 'in', value: [] }, []],
]

/** Type mismatches and comparisons that never hold: nothing is admitted. */
const NEVER_CASES: Condition[] = [
  { field: 'v', op: 'ne', value: null },
  { field: 'v', op: 'gt', value: false },
  { field: 'v', op: 'lte', value: null },
  { field: 'v', op: 'eq', value: 'ten' },
  { field: 'absent', op: 'ne', value: 10 },
  { field: 'absent', op: 'ne', value: null },
  { field: 'absent', op: 'in', value: [null] },
]

let dataset: string
const labelOf = new Map<string, string>()
const stored: DatasetRecord[] = []

beforeAll(async () => {
  dataset = await given.dataset()
  for (const [label, v] of Object.entries(VALUES)) {
    const record = await given.record(dataset, 'admin', v === undefined ? { label } : { label, v })
    labelOf.set(record.id, label)
    stored.push(record)
  }
})

/** A key holding one read policy with `condition`, and what it lists. */
async function listing(condition: Condition): Promise<{ reader: Subject; ids: string[] }> {
  const reader = await keySubject()
  await given.policy({ subjects: [subjectRef(reader)], resources: [dataset], actions: ['read'], filters: [condition] })
  const listed = await listAll(reader.client, dataset)
  expect(listed.status).toBe(200)
  return { reader, ids: listed.records.map((record) => record.id) }
}

const labelsOf = (ids: readonly string[]) => ids.map((id) => labelOf.get(id) ?? `foreign ${id}`).sort()

/** What a key holding one read policy with `condition` lists, as labels. */
async function listedLabels(condition: Condition): Promise<string[]> {
  return labelsOf((await listing(condition)).ids)
}

/**
 * The labels the evaluator admits for a namespace with one read policy with `condition`
 * (a namespace exists by being named, PERM-020: nothing to create or remove).
 */
async function checkedLabels(condition: Condition): Promise<string[]> {
  const policy = await given.policy({
    subjects: [{ type: 'namespace', id: uniqueNamespace() }],
    resources: [dataset],
    actions: ['read'],
    filters: [condition],
  })
  const admitted: string[] = []
  for (const record of stored) {
    const response = await api.admin.post('/v1/permissions/check', {
      subject: policy.subjects[0]!,
      dataset,
      action: 'read',
      record: record as Record<string, unknown>,
    })
    expect(response.status).toBe(200)
    if (response.body.allowed) admitted.push(labelOf.get(record.id)!)
  }
  await api.admin.delete('/v1/policies/{id}', { params: { id: policy.id } })
  return admitted.sort()
}

describe('PERM-006 condition operators have their documented meaning', () => {
  it.each(OPERATOR_CASES)('PERM-006 PERM-007 listing with %j admits %j', async (condition, expected) => {
    const { reader, ids } = await listing(condition)
    const expectedIds = stored.filter((record) => expected.includes(labelOf.get(record.id)!)).map((record) => record.id)
    // A listing that single reads contradict is PERM-007's failure; one they confirm, the operator's (PERM-006).
    await expectListing(reader.client, dataset, ids, expectedIds)
  })

  it.each(OPERATOR_CASES)('PERM-006 PERM-015 the evaluator with %j admits %j', async (condition, expected) => {
    expect(await checkedLabels(condition)).toEqual([...expected].sort())
  })
})

describe('PERM-005 a condition on a missing field or on another JSON type is false', () => {
  it.each(['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const)('PERM-005 %s on a missing field never holds', async (op) => {
    const labels = await listedLabels({ field: 'v', op, value: 0 })
    expect(labels).not.toContain('missing')
  })

  it('PERM-005 in on a missing field never holds, even with null in the list', async () => {
    expect(await listedLabels({ field: 'v', op: 'in', value: [null, 0] })).toEqual(['null'])
  })

  it.each(NEVER_CASES)('PERM-005 %j admits no record', async (condition) => {
    expect(await listedLabels(condition)).toEqual([])
    expect(await checkedLabels(condition)).toEqual([])
  })
})
