/**
 * The OpenAPI bundle, loaded once (openapi/generated/bundle.json, made by `npm run bundle`),
 * and its operations. openapi/contract.ts re-exports all of it with the requirement
 * catalogue; import this module directly where the catalogue is not needed (the suites'
 * workers, which would otherwise load the YAML parser and parse the catalogue each).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const bundlePath = fileURLToPath(new URL('./generated/bundle.json', import.meta.url));

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** An OpenAPI object whose fields the caller inspects itself. */
export type OpenApiObject = { [field: string]: unknown };

export interface OpenApiOperation extends OpenApiObject {
  operationId: string;
  tags?: string[];
  summary?: string;
  description?: string;
  'x-requirements'?: string[];
  'x-feature'?: string;
}

export type OpenApiPathItem = OpenApiObject & Partial<Record<HttpMethod, OpenApiOperation>>;

export interface OpenApiDocument extends OpenApiObject {
  openapi: string;
  info: OpenApiObject & { title: string; version: string };
  servers?: Array<{ url: string; description?: string }>;
  tags?: Array<{ name: string; description?: string }>;
  paths: Record<string, OpenApiPathItem>;
  components: OpenApiObject & {
    schemas: Record<string, OpenApiObject>;
    responses?: Record<string, OpenApiObject>;
    parameters?: Record<string, OpenApiObject>;
    headers?: Record<string, OpenApiObject>;
    securitySchemes?: Record<string, OpenApiObject>;
  };
}

export interface Operation {
  method: HttpMethod;
  path: string;
  operationId: string;
  tags: string[];
  requirements: string[];
  feature: string | null;
}

/** A name that the contract does not define (unknown operationId or requirement id). */
export class ContractError extends Error {
  readonly code = 'CONTRACT_UNKNOWN_NAME';
  override name = 'ContractError';
}

export const contract: OpenApiDocument = JSON.parse(readFileSync(bundlePath, 'utf8'));

const operationList: readonly Operation[] = Object.entries(contract.paths).flatMap(([path, item]) =>
  HTTP_METHODS.flatMap((method) => {
    const op = item[method];
    if (!op) return [];
    return [
      {
        method,
        path,
        operationId: op.operationId,
        tags: op.tags ?? [],
        requirements: op['x-requirements'] ?? [],
        feature: op['x-feature'] ?? null,
      },
    ];
  }),
);

export function operations(): readonly Operation[] {
  return operationList;
}

export function operationById(operationId: string): Operation {
  const found = operationList.find((op) => op.operationId === operationId);
  if (!found) throw new ContractError(`unknown operationId: ${operationId}`);
  return found;
}

/** The operations whose x-requirements name the requirement. */
export function operationsFor(requirementId: string): Operation[] {
  return operationList.filter((op) => op.requirements.includes(requirementId));
}

/** Follows a local `$ref` chain (siblings refine the target, as OpenAPI 3.1 allows). */
export function deref<T extends OpenApiObject>(node: T): T {
  let current: OpenApiObject = node;
  for (let hops = 0; typeof current.$ref === 'string' && hops < 20; hops += 1) {
    const { $ref, ...siblings } = current;
    const target = ($ref as string)
      .replace(/^#\//, '')
      .split('/')
      .reduce<any>((at, part) => at?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], contract);
    if (target === undefined) throw new Error(`unresolvable $ref ${$ref}`);
    current = { ...target, ...siblings };
  }
  return current as T;
}
