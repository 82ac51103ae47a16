// Bench-only fixture files (the mock's fixture format, fixtures/default.yaml): an admin key,
// the benchmark's caller with its three filtered read policies, a "scanner" whose one policy
// admits no record (so a list walks the whole dataset), an owner of the other records, N
// generated orders; policies for unrelated subjects come from unrelatedPolicy().
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import type { components } from '../openapi/generated/schema.d.ts'
import type { FixtureFile } from '../mock/fixtures/fixture-schema.ts'

/** A fixed fixture id: prefix + name padded to the length the fixture schema wants. */
const fixedId = (prefix: string, name: string, length: number): string => `${prefix}_${name.padEnd(length, '0')}`
const key = (name: string) => ({ id: fixedId('key', name, 24), secret: fixedId('sk', `${name}Secret`, 40) })

export const BENCH_ADMIN = key('benchAdmin')
/** Reads orders through three policies with filters (about a third of the orders). */
export const CALLER = key('benchCaller')
/** Its policy names orders and read but admits none: every list is a full scan. */
export const SCANNER = key('benchScanner')
const OTHER_OWNER = key('benchOtherOwner')

export const DATASET = 'orders'

/** Policies of the caller and the scanner (in the fixture file); every other policy is unrelated. */
export const OWN_POLICY_COUNT = 4

const ownPolicies: NonNullable<FixtureFile['policies']> = [
  {
    id: fixedId('pol', 'benchOwnPaid', 20),
    description: 'The caller reads its own paid orders',
    subjects: [{ type: 'api_key', id: CALLER.id }],
    resources: [DATASET],
    actions: ['read'],
    filters: [{ owner: true }, { field: 'status', op: 'eq', value: 'paid' }],
  },
  {
    id: fixedId('pol', 'benchBigOrders', 20),
    description: 'The caller reads every order over 350',
    subjects: [{ type: 'api_key', id: CALLER.id }],
    resources: [DATASET],
    actions: ['read'],
    filters: [{ field: 'total', op: 'gt', value: 350 }],
  },
  {
    id: fixedId('pol', 'benchShippedBulk', 20),
    description: 'The caller reads shipped orders of 4 items or more',
    subjects: [{ type: 'api_key', id: CALLER.id }],
    resources: [DATASET],
    actions: ['read'],
    filters: [
      { field: 'status', op: 'in', value: ['shipped'] },
      { field: 'quantity', op: 'gte', value: 4 },
    ],
  },
  {
    id: fixedId('pol', 'benchScanNothing', 20),
    description: 'The scanner reads refunded orders (there are none)',
    subjects: [{ type: 'api_key', id: SCANNER.id }],
    resources: [DATASET],
    actions: ['read'],
    filters: [{ field: 'status', op: 'eq', value: 'refunded' }],
  },
]

const SUBJECT_TYPES = ['api_key', 'user', 'namespace'] as const

/**
 * A policy for somebody else on the same dataset and action (the request body of
 * POST /v1/policies): an evaluator that scanned every policy would pay for each of these.
 */
export function unrelatedPolicy(index: number): components['schemas']['PolicyInput'] {
  const type = SUBJECT_TYPES[index % SUBJECT_TYPES.length]!
  const number = String(index).padStart(5, '0')
  const subjectId = type === 'api_key' ? fixedId('key', `benchUnrelated${number}`, 24) : type === 'user' ? fixedId('usr', `benchUser${number}`, 20) : `team-${number}`
  return {
    description: `Unrelated policy ${number}`,
    subjects: [{ type, id: subjectId }],
    resources: [DATASET, 'invoices'],
    actions: ['read', 'update'],
    filters: [{ field: 'total', op: 'gt', value: index % 400 }],
  }
}

export interface BenchFixtures {
  file: string
  remove(): void
}

/**
 * Writes a fixture file with `records` orders and the callers' own policies. Unrelated
 * policies are added over HTTP (a 10,000-policy YAML file takes longer to parse than to post).
 */
export function writeBenchFixtures({ records }: { records: number }): BenchFixtures {
  const fixture: FixtureFile = {
    seed: 2026,
    epoch: '2026-01-01T00:00:00Z',
    admin_key: { ...BENCH_ADMIN, description: 'Benchmark admin key' },
    keys: [CALLER, SCANNER, OTHER_OWNER].map((entry) => ({ ...entry, role: 'client' as const })),
    datasets: [{ name: DATASET, generate: { count: records, template: 'order', owners: [CALLER.id, OTHER_OWNER.id] } }],
    policies: ownPolicies,
  }
  const directory = mkdtempSync(join(tmpdir(), 'authconform-bench-'))
  const file = join(directory, `fixtures-${records}-records.yaml`)
  writeFileSync(file, stringify(fixture))
  return { file, remove: () => rmSync(directory, { recursive: true, force: true }) }
}
