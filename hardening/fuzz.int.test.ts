// The short, seeded form of `npm run fuzz`: a few hundred requests drawn from the contract
// against a fresh mock. A failure prints the seed and the shrunk request; replay it with
// `npm run fuzz -- --seed <seed> --path <path>`.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createMock, type RunningMock } from '../mock/server.ts'
import { FUZZ_MOCK_OPTIONS } from './fuzz/fuzz-mock.ts'
import { runFuzz } from './fuzz/fuzz-run.ts'

const SEED = Number(process.env.AUTHCONFORM_FUZZ_SEED ?? 20261127)
const REQUESTS = 300

let mock: RunningMock
beforeAll(async () => {
  mock = await createMock(FUZZ_MOCK_OPTIONS)
})
afterAll(() => mock?.close())

it(`${REQUESTS} fuzzed requests (seed ${SEED}): no 5xx, every answer as the contract documents it`, async () => {
  const report = await runFuzz({ baseUrl: mock.url, admin: { key: mock.adminKey, secret: mock.adminSecret }, requests: REQUESTS, seed: SEED })
  if (report.failure) expect.fail(report.failure)
  expect(report.sent).toBe(REQUESTS)
  // The generator must reach most of the contract, or a green run means little.
  expect(report.operations).toBeGreaterThanOrEqual(30)
  expect(Object.keys(report.byStatus).filter((status) => status.startsWith('2')).length).toBeGreaterThanOrEqual(3)
}, 120_000)
