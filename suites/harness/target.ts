// The target under test as the cases see it: what the verify command resolved, plus a
// faker seeded per test file (the run's --seed mixed with the file's path), so a file's
// generated data is the same on every run with the same seed, whatever the file order.
import type { Faker } from '@faker-js/faker'
import { faker as englishFaker } from '@faker-js/faker/locale/en'
import { inject } from 'vitest'
import type { Discovery, Feature } from './contract-types.ts'
import { PROVIDE_KEY, type TargetConfig, type TimeStrategy } from './target-config.ts'

export interface Target {
  readonly baseUrl: string
  readonly discovery: Discovery
  readonly features: ReadonlySet<Feature>
  readonly admin: { readonly key: string; readonly secret: string }
  readonly runId: string
  readonly seed: number
  readonly faker: Faker
  readonly timeStrategy: TimeStrategy
  readonly maxWaitSeconds: number
}

let config: TargetConfig | undefined
let fileTag = 'file'
let counter = 0
// The English build alone: the package's main entry loads every locale (~0.3 s of CPU in
// each worker), and the suites only ever use English data.
const faker: Faker = englishFaker

export function targetConfig(): TargetConfig {
  config ??= inject(PROVIDE_KEY)
  if (!config) throw new Error('no target configuration: run the suites through `authconform verify`')
  return config
}

/** Called by the setup file when a test file starts. */
export function enterFile(filePath: string): void {
  const hash = fnv1a(filePath)
  fileTag = hash.toString(36).slice(0, 5)
  counter = 0
  faker.seed([targetConfig().seed, hash])
}

/**
 * A name no other run, file or call shares: `ac-<run>-<file>-<n>` (lowercase, starts with a
 * letter, so it is also a valid dataset name). Everything a case creates carries it.
 */
export function uniqueName(kind: string): string {
  counter += 1
  return `ac-${targetConfig().runId}-${fileTag}-${kind}${counter}`
}

export const target: Target = {
  get baseUrl() {
    return targetConfig().baseUrl
  },
  get discovery() {
    return targetConfig().discovery
  },
  get features() {
    return new Set(targetConfig().discovery.features ?? [])
  },
  get admin() {
    return targetConfig().admin
  },
  get runId() {
    return targetConfig().runId
  },
  get seed() {
    return targetConfig().seed
  },
  get faker() {
    return faker
  },
  get timeStrategy() {
    return targetConfig().timeStrategy
  },
  get maxWaitSeconds() {
    return targetConfig().maxWaitSeconds
  },
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}
