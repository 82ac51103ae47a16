// Bench-only entry: one mock in its own process, started through createMock exactly as the
// CLI does (options from the parent: fixture file, rate limits, control), with request
// logging off as under `authconform mock --quiet`. It reports where it listens over IPC and answers
// memory probes (after a full GC when started with --expose-gc).
import type { MockOptions } from '../mock/server.ts'
import { createMock } from '../mock/server.ts'
import { serveChildProtocol } from './child-protocol.ts'

const options = JSON.parse(process.env['AUTHCONFORM_BENCH_MOCK'] ?? '{}') as MockOptions
const mock = await createMock({ ...options, port: 0, host: '127.0.0.1', logLevel: 'silent' })
serveChildProtocol({ url: mock.listeningUrl, adminKey: mock.adminKey, adminSecret: mock.adminSecret }, () => mock.close())
