// The framework's floor: a Fastify app — the mock's framework, the same version — with one
// route answering the bytes a bare node:http server answers (bench/bare-server.ts), logger
// off, no hooks, no plugins. What the mock costs beyond it is what it does per request
// (authentication, rate limit, CORS, validation, the log line); what it costs beyond
// node:http is the framework's routing, request and reply objects. Lists bench only.
import Fastify from 'fastify'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { serveChildProtocol } from './child-protocol.ts'

const texts = JSON.parse(readFileSync(process.env['AUTHCONFORM_BENCH_BODIES']!, 'utf8')) as Record<string, string>
const bodies = new Map(Object.entries(texts).map(([url, text]) => [url, Buffer.from(text, 'utf8')]))
const fallback = bodies.get('*') ?? Buffer.from('{}')
const app = Fastify({ logger: false })
app.get('/*', (request, reply) => {
  void reply.type('application/json; charset=utf-8').send(bodies.get(request.url) ?? fallback)
})
await app.listen({ port: 0, host: '127.0.0.1' })
serveChildProtocol({ url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` }, () => app.close())
