import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { contract, operations, type OpenApiObject, type Operation } from './contract.ts';
import { addContractFormats } from './formats.ts';

// The house rules of the contract that redocly's recommended ruleset does not check.

type Json = OpenApiObject;

/** Follows a local `#/components/...` $ref of the bundle. */
function deref(node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const target = ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((at, key) => (at as Json | undefined)?.[key], contract);
  if (!target) throw new Error(`unresolved ${ref}`);
  return deref(target as Json);
}

const opObject = (op: Operation): Json => contract.paths[op.path]![op.method]! as Json;
const responsesOf = (op: Operation): Record<string, Json> => opObject(op).responses as Record<string, Json>;
const requestSchemaRef = (op: Operation): string | undefined => {
  const body = opObject(op).requestBody as Json | undefined;
  const content = body?.content as Record<string, { schema: Json }> | undefined;
  return content?.['application/json']?.schema.$ref as string | undefined;
};
const isPublic = (op: Operation) => Array.isArray(opObject(op).security) && (opObject(op).security as Json[]).every((s) => Object.keys(s).length === 0 || 'basicAuth' in s || 'controlToken' in s);
const table = operations().map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const);

describe.each(table)('%s', (_name, op) => {
  const responses = responsesOf(op);

  it('has a camelCase operationId, a summary, a description and one declared tag', () => {
    const o = opObject(op);
    expect(op.operationId).toMatch(/^[a-z][a-zA-Z0-9]+$/);
    expect(String(o.summary ?? '')).not.toBe('');
    expect(String(o.description ?? '').length).toBeGreaterThan(20);
    expect(op.tags).toHaveLength(1);
    expect(contract.tags?.map((t) => t.name)).toContain(op.tags[0]);
  });

  it('answers every error as problem+json: the shared Problem schema, narrowed to the codes of that answer', () => {
    const allCodes = deref({ $ref: '#/components/schemas/ProblemCode' }).enum as string[];
    for (const [status, response] of Object.entries(responses)) {
      if (!/^[45]\d\d$/.test(status)) continue;
      const content = deref(response).content as Record<string, Json>;
      expect(Object.keys(content), status).toEqual(['application/problem+json']);
      const [shared, narrowed, ...more] = ((content['application/problem+json']!.schema as Json).allOf ?? []) as Json[];
      expect(shared?.$ref, status).toBe('#/components/schemas/Problem');
      expect(more, status).toEqual([]);
      const codes = (narrowed?.properties as Json | undefined)?.code as Json | undefined;
      expect(codes?.enum, `${status} names the codes it may carry`).toEqual(expect.any(Array));
      expect((codes!.enum as string[]).length, status).toBeGreaterThan(0);
      expect(allCodes, status).toEqual(expect.arrayContaining(codes!.enum as string[]));
    }
  });

  it('uses named component schemas for every JSON body', () => {
    const bodies = [opObject(op).requestBody as Json | undefined, ...Object.values(responses)].filter(Boolean);
    for (const body of bodies) {
      const content = (deref(body as Json).content ?? {}) as Record<string, { schema: Json }>;
      const json = content['application/json'];
      if (json) expect(json.schema.$ref).toMatch(/^#\/components\/schemas\/[A-Z]\w+$/);
    }
  });

  it('documents the headers of 401 and 429', () => {
    if (responses['401']) expect(Object.keys(deref(responses['401']).headers as Json)).toContain('WWW-Authenticate');
    if (responses['429']) {
      expect(Object.keys(deref(responses['429']).headers as Json)).toEqual(
        expect.arrayContaining(['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']),
      );
    }
  });

  it('documents 400, 413 and 415 when it takes a body, 401 when it needs credentials, 404 with a path id', () => {
    const statuses = Object.keys(responses);
    if (opObject(op).requestBody) expect(statuses).toEqual(expect.arrayContaining(['400', '413', '415']));
    if (!isPublic(op)) expect(statuses).toContain('401');
    if (op.path.includes('{')) expect(statuses).toContain('404');
  });

  it('rate-limited operations document 429 and the limit is named in their requirements', () => {
    const limited = op.requirements.some((id) => ['ERR-012', 'ERR-011', 'ERR-013'].includes(id));
    expect(Boolean(responses['429'])).toBe(limited);
  });

  it('closes its request body (records are the documented exception)', () => {
    const ref = requestSchemaRef(op);
    if (!ref) return;
    const open = openObjects(deref({ $ref: ref }), ref.split('/').pop()!, new Set());
    expect(open.filter((where) => !FREE_FORM.has(where))).toEqual([]);
  });
});

// Where a request body may carry fields the schema does not list: record fields.
const FREE_FORM = new Set(['RecordInput', 'PermissionCheck.record']);

/** Paths of object schemas inside `schema` that do not say additionalProperties: false. */
function openObjects(schema: Json, where: string, seen: Set<Json>): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const found: string[] = [];
  const isObject = schema.type === 'object' || schema.properties !== undefined;
  if (isObject && schema.additionalProperties !== false) found.push(where);
  for (const [name, sub] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
    found.push(...openObjects(deref(sub), `${where}.${name}`, seen));
  }
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    for (const sub of (schema[key] ?? []) as Json[]) found.push(...openObjects(deref(sub), where, seen));
  }
  if (schema.items) found.push(...openObjects(deref(schema.items as Json), `${where}[]`, seen));
  return found;
}

describe('examples are valid against their schemas', () => {
  const ajv = addContractFormats(new Ajv2020({ strict: false, allErrors: true }));
  ajv.addSchema({ $id: 'urn:authconform:bundle', components: contract.components });
  const validatorFor = (pointer: string) => ajv.compile({ $ref: `urn:authconform:bundle${pointer}` });

  const schemaExamples = Object.entries(contract.components.schemas).flatMap(([name, schema]) =>
    ((schema.examples ?? []) as unknown[]).map((example, i) => [`${name} example ${i}`, name, example] as const),
  );

  it.each(schemaExamples)('%s', (_label, name, example) => {
    const validate = validatorFor(`#/components/schemas/${name}`);
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });

  it('a wrong example is rejected (the check above is not vacuous)', () => {
    expect(validatorFor('#/components/schemas/TokenResponse')({ token_type: 'Bearer' })).toBe(false);
  });

  it('every schema that is a request or response body has an example', () => {
    const bodySchemas = new Set(
      operations().flatMap((op) => {
        const refs = [requestSchemaRef(op)];
        for (const r of Object.values(responsesOf(op))) {
          const content = (deref(r).content ?? {}) as Record<string, { schema: Json }>;
          refs.push(content['application/json']?.schema.$ref as string | undefined);
        }
        return refs.filter((ref): ref is string => Boolean(ref)).map((ref) => ref.split('/').pop()!);
      }),
    );
    const withoutExample = [...bodySchemas].filter((name) => {
      const schema = contract.components.schemas[name]!;
      return !(schema.examples as unknown[] | undefined)?.length && !hasListExample(schema);
    });
    expect(withoutExample).toEqual([]);
  });
});

/** List wrappers ({items: [X]}) are documented through the example of X. */
function hasListExample(schema: Json): boolean {
  const items = (schema.properties as Record<string, Json> | undefined)?.items?.items as Json | undefined;
  return Boolean(items && (deref(items).examples as unknown[] | undefined)?.length);
}
