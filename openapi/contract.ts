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
 * The bundle half lives in openapi/bundle.ts (re-exported here), so code that needs no
 * catalogue can skip the YAML parser. Body and parameter types come from
 * openapi/generated/schema.d.ts, not from here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ContractError } from './bundle.ts';

export * from './bundle.ts';

export const requirementsPath = fileURLToPath(new URL('./requirements.yaml', import.meta.url));

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
  /**
   * Profile facts the requirement takes for granted (profiles/applicability.ts): fact →
   * the values under which it applies. Under a profile with another value it is not
   * applicable.
   */
  assumes?: Record<string, string[]>;
}

export const requirements: readonly Requirement[] = (
  parseYaml(readFileSync(requirementsPath, 'utf8')) as { requirements: Requirement[] }
).requirements;

export function requirementById(id: string): Requirement {
  const found = requirements.find((req) => req.id === id);
  if (!found) throw new ContractError(`unknown requirement id: ${id}`);
  return found;
}
