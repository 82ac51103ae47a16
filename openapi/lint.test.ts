import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, operations } from './contract.ts';
import { lintFile } from './tooling/redocly-cli.ts';

describe.each([['openapi/openapi.yaml'], ['openapi/generated/bundle.yaml']])('redocly lint %s', (file) => {
  it('reports no error, no warning and ignores nothing', async () => {
    const report = await lintFile(file);
    expect(report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
  });
});

// Proves the harness above can fail: the same linter and config must flag a broken document.
describe('redocly lint on a broken document', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'authconform-lint-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['an unresolved $ref', { $ref: '#/components/schemas/Missing' }],
    ['a response without description', { content: { 'application/json': { schema: { type: 'object' } } } }],
  ])('reports %s', async (_name, okResponse) => {
    const broken = {
      openapi: '3.1.0',
      info: { title: 'broken', version: '1', license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' } },
      servers: [{ url: 'http://127.0.0.1:4010' }],
      paths: { '/x': { get: { operationId: 'getX', summary: 'x', security: [], responses: { '200': okResponse } } } },
    };
    const file = join(dir, 'broken.json');
    await writeFile(file, JSON.stringify(broken));
    const report = await lintFile(file);
    expect(report.totals.errors + report.totals.warnings).toBeGreaterThan(0);
  });
});

// redocly.yaml turns operation-4xx-response off only because the public discovery
// documents have no client error; every other operation must still document one.
describe('4XX responses', () => {
  const discoveryIds = new Set(['getAuthConfiguration', 'getJwks']);
  it.each(operations().filter((op) => !discoveryIds.has(op.operationId)).map((op) => [op.operationId, op]))(
    '%s documents at least one 4XX response',
    (_id, op) => {
      const responses = contract.paths[op.path]?.[op.method]?.responses as Record<string, unknown>;
      expect(Object.keys(responses).some((status) => /^4\d\d$/.test(status))).toBe(true);
    },
  );
});
