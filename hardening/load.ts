// `npm run load`: the long form of the load check — 50 connections for 20 s of a mixed
// workload (exchange, refresh, list, write) against an in-process mock with its default
// rate limits, or against --target. Prints throughput, p50/p95/p99 and memory over time;
// exits 1 on any 5xx or any error other than a declared 429.
//   npm run load -- --connections 50 --seconds 20
import { parseArgs } from 'node:util'
import { createMock } from '../mock/server.ts'
import { runLoad } from './load/workload.ts'

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    target: { type: 'string' },
    'admin-key': { type: 'string' },
    'admin-secret': { type: 'string' },
  },
})
const connections = Number(values.connections)
const seconds = Number(values.seconds)
if (!Number.isInteger(connections) || connections < 1 || connections > 100 || !Number.isFinite(seconds) || seconds <= 0) {
  process.stderr.write('load: --connections takes 1..100, --seconds a positive number\n')
  process.exit(2)
}
if (values.target && (!values['admin-key'] || !values['admin-secret'])) {
  process.stderr.write('load: --target needs --admin-key and --admin-secret\n')
  process.exit(2)
}
const mock = values.target ? undefined : await createMock({ port: 0 })
const baseUrl = values.target ?? mock!.url
process.stdout.write(`load ${baseUrl}${mock ? ' (in-process mock)' : ''} · ${connections} connections · ${seconds} s\n`)
try {
  const report = await runLoad({
    baseUrl,
    admin: values.target ? { key: values['admin-key']!, secret: values['admin-secret']! } : { key: mock!.adminKey, secret: mock!.adminSecret },
    connections,
    durationSeconds: seconds,
  })
  const { latencyMs: l, memory } = report
  process.stdout.write(
    [
      `${report.requests} requests, ${report.requestsPerSecond} req/s · latency p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms, max ${l.max} ms`,
      `declared 429s: ${report.declared429}`,
      ...Object.entries(report.byOperation).map(([operation, counts]) => `  ${operation.padEnd(9)} ${JSON.stringify(counts)}`),
      `RSS MiB per second: ${memory.rssMiB.join(' ')}`,
      `heap used MiB per second: ${memory.heapUsedMiB.join(' ')}`,
      ...report.unexpected.map((entry) => `✗ ${entry.count}× ${entry.kind}: ${entry.example}`),
      report.unexpected.length === 0 ? 'OK: no 5xx, no errors besides declared 429s' : 'FAILED',
      '',
    ].join('\n'),
  )
  process.exitCode = report.unexpected.length === 0 ? 0 : 1
} finally {
  await mock?.close()
}
