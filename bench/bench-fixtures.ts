// Bench-only fixture files (the mock's fixture format, fixtures/default.yaml): an admin key,
// the benchmark's caller with its three filtered read policies, a "scanner" whose one policy
// admits no record (so a list walks the whole dataset), an owner of the other records, N
// generated orders; policies for unrelated subjects come from unrelatedPolicy().
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import type { components } from '../openapi/generated/schema.d.ts'
import type { Filter } from '../mock/domain/contract.ts'
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

/**
 * Callers of the list benchmark, by the share of the orders their policies admit. Orders are
 * generated with quantity 1–5, total 1–400, status one of four, and one of the four callers
 * as owner (each uniform), so the shares below hold to within sampling noise; the benchmark
 * counts the real ones before it measures. Three filtered policies each, one with an owner
 * filter, as users write them; the broadest reads every order.
 */
export const LIST_CALLERS = [
  {
    share: '1%',
    key: key('benchOnePercent'),
    policies: [
      [{ owner: true }, { field: 'status', op: 'eq', value: 'paid' }, { field: 'total', op: 'gt', value: 365 }],
      [{ field: 'status', op: 'eq', value: 'cancelled' }, { field: 'total', op: 'gte', value: 397 }],
      [{ field: 'quantity', op: 'eq', value: 5 }, { field: 'total', op: 'lt', value: 5 }],
    ],
  },
  {
    share: '3%',
    key: key('benchThreePercent'),
    policies: [
      [{ owner: true }, { field: 'status', op: 'eq', value: 'paid' }, { field: 'quantity', op: 'gte', value: 4 }, { field: 'total', op: 'gt', value: 100 }],
      [{ field: 'status', op: 'in', value: ['cancelled'] }, { field: 'total', op: 'gt', value: 388 }],
      [{ field: 'quantity', op: 'eq', value: 5 }, { field: 'total', op: 'lt', value: 12 }],
    ],
  },
  {
    share: '30%',
    key: key('benchThirtyPercent'),
    policies: [
      [{ owner: true }, { field: 'status', op: 'eq', value: 'paid' }],
      [{ field: 'total', op: 'gt', value: 340 }],
      [{ field: 'status', op: 'in', value: ['shipped'] }, { field: 'quantity', op: 'gte', value: 4 }],
    ],
  },
  { share: '100%', key: key('benchEveryOrder'), policies: [[]] },
] as const satisfies readonly { share: string; key: { id: string; secret: string }; policies: readonly (readonly Filter[])[] }[]

export interface BenchFixtures {
  file: string
  remove(): void
}

function writeFixtureFile(fixture: FixtureFile, name: string): BenchFixtures {
  const directory = mkdtempSync(join(tmpdir(), 'authconform-bench-'))
  const file = join(directory, name)
  writeFileSync(file, stringify(fixture))
  return { file, remove: () => rmSync(directory, { recursive: true, force: true }) }
}

const fixtureBase = { seed: 2026, epoch: '2026-01-01T00:00:00Z', admin_key: { ...BENCH_ADMIN, description: 'Benchmark admin key' } }

/**
 * Writes a fixture file with `records` orders and the callers' own policies. Unrelated
 * policies are added over HTTP (a 10,000-policy YAML file takes longer to parse than to post).
 */
export function writeBenchFixtures({ records }: { records: number }): BenchFixtures {
  const fixture: FixtureFile = {
    ...fixtureBase,
    keys: [CALLER, SCANNER, OTHER_OWNER].map((entry) => ({ ...entry, role: 'client' as const })),
    datasets: [{ name: DATASET, generate: { count: records, template: 'order', owners: [CALLER.id, OTHER_OWNER.id] } }],
    policies: ownPolicies,
  }
  return writeFixtureFile(fixture, `fixtures-${records}-records.yaml`)
}

/** The list benchmark's fixture file: `records` orders owned by the LIST_CALLERS, and their policies. */
export function writeListFixtures({ records }: { records: number }): BenchFixtures {
  const fixture: FixtureFile = {
    ...fixtureBase,
    keys: LIST_CALLERS.map(({ key: entry }) => ({ ...entry, role: 'client' as const })),
    datasets: [{ name: DATASET, generate: { count: records, template: 'order', owners: LIST_CALLERS.map(({ key: entry }) => entry.id) } }],
    policies: LIST_CALLERS.flatMap(({ share, key: entry }, caller) =>
      LIST_CALLERS[caller]!.policies.map((filters, index) => ({
        id: fixedId('pol', `benchList${caller}x${index}`, 20),
        description: `A ${share} caller's policy ${index + 1}`,
        subjects: [{ type: 'api_key' as const, id: entry.id }],
        resources: [DATASET],
        actions: ['read' as const],
        filters: filters.map((filter) => ({ ...filter })) as Filter[],
      })),
    ),
  }
  return writeFixtureFile(fixture, `list-fixtures-${records}-records.yaml`)
}
