// The short form of `npm run load`: 10 connections for 3 s of the mixed workload against a
// mock with its default rate limits. Figures are printed, not asserted (benchmarks judge
// speed); what is asserted is correctness under load: no 5xx, no error but declared 429s.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createMock, type RunningMock } from '../mock/server.ts'
import { runLoad } from './load/workload.ts'

let mock: RunningMock
beforeAll(async () => {
  mock = await createMock({ port: 0 })
})
afterAll(() => mock?.close())

it('10 connections × 3 s of exchange/refresh/list/write: no 5xx, nothing but declared 429s', async () => {
  const report = await runLoad({ baseUrl: mock.url, admin: { key: mock.adminKey, secret: mock.adminSecret }, connections: 10, durationSeconds: 3 })
  console.log(
    `load: ${report.requests} requests, ${report.requestsPerSecond} req/s, p99 ${report.latencyMs.p99} ms, ` +
      `declared 429s ${report.declared429}, RSS ${report.memory.rssMiB.at(0)}→${report.memory.rssMiB.at(-1)} MiB`,
  )
  expect(report.unexpected).toEqual([])
  // Every kind of operation really ran and mostly succeeded.
  for (const operation of ['exchange', 'refresh', 'list', 'create', 'patch']) {
    expect(Object.values(report.byOperation[operation] ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
  }
  expect(report.requests).toBeGreaterThan(100)
}, 60_000)
