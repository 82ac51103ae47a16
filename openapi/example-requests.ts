/**
 * The requests the bundle's examples describe: an operation with the examples of its path
 * parameters and, one request each, the examples of its JSON request body (the media
 * type's `example`/`examples`, else the body schema's `examples`). What a tool that fills
 * requests from examples sends; the tests send them to the mock (request-examples and
 * links tests of mock/http).
 */
import { contract, deref, operationById, operations, type OpenApiObject, type Operation } from './bundle.ts';

export interface ExampleRequest {
  operationId: string;
  method: string;
  /** The concrete path, parameters percent-encoded. */
  path: string;
  /** The path parameters as given (before encoding). */
  params: Record<string, string>;
  /** undefined: no body. */
  body: unknown;
}

/** Every operation once per body example (once without a body when it takes none). */
export function exampleRequests(): ExampleRequest[] {
  return operations().flatMap((operation) => {
    const bodies = bodyExamples(operation);
    if (bodies.length === 0) return [exampleRequest(operation.operationId)];
    return bodies.map((body) => exampleRequest(operation.operationId, { body }));
  });
}

/** One request to the operation: its parameter examples unless `params` says otherwise, and `body`. */
export function exampleRequest(operationId: string, given: { params?: Record<string, string>; body?: unknown } = {}): ExampleRequest {
  const operation = operationById(operationId);
  const parameters = parametersOf(operation);
  const params: Record<string, string> = {};
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const parameter = parameters.find((candidate) => candidate.in === 'path' && candidate.name === name);
    const example = given.params?.[name] ?? parameter?.example ?? (deref((parameter?.schema ?? {}) as OpenApiObject).examples as unknown[] | undefined)?.[0];
    if (example === undefined) throw new Error(`${operationId}: path parameter ${name} has no example`);
    params[name] = String(example);
    return encodeURIComponent(String(example));
  });
  return { operationId, method: operation.method.toUpperCase(), path, params, body: given.body };
}

/** The examples of the operation's JSON request body (empty when it takes none or has none). */
export function bodyExamples(operation: Operation): unknown[] {
  const requestBody = operationObject(operation).requestBody as OpenApiObject | undefined;
  const media = (deref(requestBody ?? {}).content as Record<string, OpenApiObject> | undefined)?.['application/json'];
  if (!media) return [];
  if (media.example !== undefined) return [media.example];
  if (media.examples) return Object.values(media.examples as Record<string, OpenApiObject>).map((example) => deref(example).value);
  return (deref(media.schema as OpenApiObject).examples as unknown[] | undefined) ?? [];
}

export function operationObject(operation: Operation): OpenApiObject {
  return contract.paths[operation.path]![operation.method] as OpenApiObject;
}

function parametersOf(operation: Operation): OpenApiObject[] {
  const item = contract.paths[operation.path]!;
  return [...((item.parameters as OpenApiObject[]) ?? []), ...((operationObject(operation).parameters as OpenApiObject[]) ?? [])].map((parameter) => deref(parameter));
}
