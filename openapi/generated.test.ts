import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_FILES, generateContract } from './tooling/generate.ts';

// openapi/generated/ is committed so that nothing needs a build step; this keeps it honest.
describe('openapi/generated is fresh', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'authconform-generated-'));
    await generateContract(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(GENERATED_FILES.map((file) => [file]))('%s matches a fresh `npm run generate`', async (file) => {
    const committed = await readFile(new URL(`./generated/${file}`, import.meta.url), 'utf8');
    const fresh = await readFile(join(dir, file), 'utf8');
    expect(fresh.length, `openapi/generated/${file} is stale: run npm run generate`).toBeGreaterThan(0);
    expect(committed === fresh, `openapi/generated/${file} is stale: run npm run generate`).toBe(true);
  });
});
