/**
 * The contract, loaded once: the one place that reads the OpenAPI bundle and the
 * requirement catalogue from disk.
 *
 *   import { contract, requirements, operations, requirementById } from '../openapi/contract.ts';
 *
 * - `contract`      the bundled OpenAPI 3.1 document (openapi/generated/bundle.json, made by
 *                   `npm run bundle`), typed loosely: walk it, do not restate it.
 * - `requirements`  the catalogue of openapi/requirements.yaml, in file order.
 * - `operations()`  every operation as {method, path, operationId, tags, requirements,
 *                   feature}, in document order; `requirements` is its `x-requirements`,
 *                   `feature` its `x-feature` (the optional feature it belongs to) or null.
 * - `operationById()`, `requirementById()`  look-ups that throw ContractError on an
 *                   unknown name, so a typo fails loudly instead of matching nothing.
 *
 * Body and parameter types come from openapi/generated/schema.d.ts, not from here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const bundlePath = fileURLToPath(new URL('./generated/bundle.json', import.meta.url));
export const requirementsPath = fileURLToPath(new URL('./requirements.yaml', import.meta.url));

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

export const REQUIREMENT_AREAS = ['discovery', 'auth', 'sessions', 'keys', 'permissions', 'errors'] as const;
export type RequirementArea = (typeof REQUIREMENT_AREAS)[number];
export type RequirementLevel = 'MUST' | 'SHOULD';

export interface Requirement {
  id: string;
  level: RequirementLevel;
  area: RequirementArea;
  title: string;
  text: string;
  source: string;
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

export const requirements: readonly Requirement[] = (
  parseYaml(readFileSync(requirementsPath, 'utf8')) as { requirements: Requirement[] }
).requirements;

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

export function requirementById(id: string): Requirement {
  const found = requirements.find((req) => req.id === id);
  if (!found) throw new ContractError(`unknown requirement id: ${id}`);
  return found;
}

/** The operations whose x-requirements name the requirement. */
export function operationsFor(requirementId: string): Operation[] {
  return operationList.filter((op) => op.requirements.includes(requirementId));
}
