import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { REQUIREMENT_AREAS, operations, requirements, requirementsPath } from './contract.ts';
import { sourceProblem } from './requirement-sources.ts';

const catalogueSchema = JSON.parse(readFileSync(new URL('./requirements.schema.json', import.meta.url), 'utf8'));
const validateCatalogue = new Ajv2020({ allErrors: true, strict: true }).compile(catalogueSchema);

const AREA_OF_PREFIX: Record<string, string> = {
  DISC: 'discovery',
  AUTH: 'auth',
  SESS: 'sessions',
  KEY: 'keys',
  PERM: 'permissions',
  ERR: 'errors',
};

const valid = {
  id: 'AUTH-001',
  level: 'MUST',
  area: 'auth',
  title: 'A title',
  text: 'A text that is long enough.',
  source: 'RFC 0000',
};

describe('requirements.yaml', () => {
  it(`is valid against requirements.schema.json (${requirementsPath})`, () => {
    const ok = validateCatalogue({ requirements });
    expect(validateCatalogue.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('has unique ids', () => {
    const ids = requirements.map((r) => r.id);
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(duplicates).toEqual([]);
  });

  it('has at least 40 requirements', () => {
    expect(requirements.length).toBeGreaterThanOrEqual(40);
  });

  it.each(REQUIREMENT_AREAS.map((area) => [area]))('has requirements in area %s', (area) => {
    expect(requirements.some((r) => r.area === area)).toBe(true);
  });

  it('files every requirement under the area of its id prefix', () => {
    const misfiled = requirements.filter((r) => AREA_OF_PREFIX[r.id.split('-')[0] ?? ''] !== r.area);
    expect(misfiled.map((r) => `${r.id} in ${r.area}`)).toEqual([]);
  });
});

describe('requirements.schema.json rejects', () => {
  it.each([
    ['a malformed id', { ...valid, id: 'AUTH-1' }],
    ['an unknown id prefix', { ...valid, id: 'FOO-001' }],
    ['an unknown level', { ...valid, level: 'MAY' }],
    ['an unknown area', { ...valid, area: 'billing' }],
    ['a missing text', { ...valid, text: undefined }],
    ['an unknown field', { ...valid, owner: 'me' }],
  ])('%s', (_name, requirement) => {
    const entry = Object.fromEntries(Object.entries(requirement).filter(([, v]) => v !== undefined));
    expect(validateCatalogue({ requirements: [entry] })).toBe(false);
  });

  it('accepts a well-formed entry (the rejections above are not vacuous)', () => {
    expect(validateCatalogue({ requirements: [valid] })).toBe(true);
  });
});

describe('x-requirements of the operations', () => {
  const known = new Set(requirements.map((r) => r.id));

  it.each(operations().map((op) => [op.operationId, op]))('%s names existing requirements only', (_id, op) => {
    expect(op.requirements.length).toBeGreaterThan(0);
    expect(op.requirements.filter((id) => !known.has(id))).toEqual([]);
  });

  it('name every MUST requirement at least once', () => {
    const named = new Set(operations().flatMap((op) => op.requirements));
    const unnamed = requirements.filter((r) => r.level === 'MUST' && !named.has(r.id)).map((r) => r.id);
    expect(unnamed).toEqual([]);
  });
});

describe('requirement sources', () => {
  it.each(requirements.map((r) => [r.id, r.source]))('%s cites only what a reader can open: %s', (_id, source) => {
    expect(sourceProblem(source)).toBeUndefined();
  });
});

describe('sourceProblem refuses', () => {
  it.each([
    ['a design file outside the repository', 'DESIGN.md "Permissions"'],
    ['an issue number', 'issue 2'],
    ["a lead's decision", "RFC 9110 §15.5.6; issue 2 (lead's decisions)"],
    ['a file that does not exist', 'KeyCreate (openapi/components/nowhere.yaml)'],
    ['a schema the file does not define', 'KeyMaker (openapi/components/schemas.yaml)'],
    ['an operation the contract does not have', 'PUT /v1/keys (openapi/paths/keys.yaml)'],
    ['a quoted phrase the file does not hold', 'rules for every operation, "Nothing like this" (openapi/openapi.yaml)'],
    ['documentation of a system the contract was not drawn from', 'Stripe documentation'],
    ['an RFC without a number', 'RFC §3'],
  ])('%s', (_case, source) => {
    expect(sourceProblem(source)).toEqual(expect.any(String));
  });

  it('accepts each kind of source it knows (the refusals above are not vacuous)', () => {
    for (const source of [
      'RFC 9110 §15.5.6, §10.2.1',
      'RFC 9700 §4.14.2 (reuse detection)',
      'draft-ietf-httpapi-ratelimit-headers',
      'OWASP ASVS 2.2.1',
      'OpenAPI Specification 3.1 (Responses Object)',
      'Jexia documentation; Machinable documentation',
      'POST /v1/keys (openapi/paths/keys.yaml)',
      'KeyCreate (openapi/components/schemas.yaml)',
      'rules for every operation, "Path ids" (openapi/openapi.yaml)',
    ]) {
      expect(sourceProblem(source), source).toBeUndefined();
    }
  });
});
