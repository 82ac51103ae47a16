// `npm run fuzz`: spec-driven fuzzing of the mock (or of any target with --target).
//   npm run fuzz                         10,000 requests, random seed
//   npm run fuzz -- --requests 50000 --seed 42
//   npm run fuzz -- --survey             do not stop at the first violation: list every kind
//   npm run fuzz -- --seed S --path P    replay the counterexample a failure printed
// Exit 0 when no request broke the contract, 1 otherwise (seed and shrunk request printed).
import { parseArgs } from 'node:util'
import { createMock } from '../../mock/server.ts'
import { runFuzz, type FuzzReport } from './fuzz-run.ts'
import { FUZZ_MOCK_OPTIONS } from './fuzz-mock.ts'

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    path: { type: 'string' },
    survey: { type: 'boolean', default: false },
    target: { type: 'string' },
    'admin-key': { type: 'string' },
    'admin-secret': { type: 'string' },
  },
})
const requests = Number(values.requests)
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed)
if (!Number.isSafeInteger(requests) || requests < 1 || !Number.isSafeInteger(seed)) {
  process.stderr.write('fuzz: --requests and --seed take whole numbers\n')
  process.exit(2)
}
if (values.target && (!values['admin-key'] || !values['admin-secret'])) {
  process.stderr.write('fuzz: --target needs --admin-key and --admin-secret\n')
  process.exit(2)
}

const mock = values.target ? undefined : await createMock(FUZZ_MOCK_OPTIONS)
const baseUrl = values.target ?? mock!.url
const admin = values.target ? { key: values['admin-key']!, secret: values['admin-secret']! } : { key: mock!.adminKey, secret: mock!.adminSecret }
const rssBefore = process.memoryUsage().rss
process.stdout.write(`fuzz ${baseUrl}${mock ? ' (in-process mock)' : ''} · ${requests} requests · seed ${seed}${values.survey ? ' · survey' : ''}\n`)
let report: FuzzReport
try {
  report = await runFuzz({
    baseUrl,
    admin,
    requests,
    seed,
    survey: values.survey,
    ...(values.path && { path: values.path }),
    onProgress: (done) => process.stdout.write(`  ${done} requests…\n`),
  })
} finally {
  await mock?.close()
}
const statuses = Object.entries(report.byStatus)
  .map(([status, count]) => `${status}×${count}`)
  .join(' ')
process.stdout.write(
  [
    `sent ${report.sent} requests (${report.operations} operations + stray routes) in ${(report.durationMs / 1000).toFixed(1)} s, ` +
      `${Math.round((report.sent * 1000) / report.durationMs)} req/s; credentials minted ${report.mints}×`,
    `statuses: ${statuses}`,
    `methods (${Object.keys(report.byMethod).length}): ${Object.entries(report.byMethod)
      .map(([method, count]) => `${method}×${count}`)
      .join(' ')}`,
    `RSS ${mb(rssBefore)} → ${mb(process.memoryUsage().rss)} MiB`,
    '',
  ].join('\n'),
)
for (const finding of report.findings) {
  process.stdout.write(`\n✗ ${finding.count}× ${finding.signature}\n${finding.violations.join('\n')}\n${finding.example}\n`)
}
if (report.failure) process.stdout.write(`\n✗ ${report.failure}\n`)
const failed = report.failure !== undefined || report.findings.length > 0
process.stdout.write(failed ? `\nFAILED (seed ${seed})\n` : `\nOK: no request broke the contract (seed ${seed})\n`)
process.exitCode = failed ? 1 : 0

function mb(bytes: number): number {
  return Math.round(bytes / 2 ** 20)
}
