/**
 * What a requirement's `source` may cite: only what a reader of this repository can open.
 * Parts are joined by "; ", each one of: an RFC (`RFC 9110 §15.5.6, §10.2.1`, a note in
 * parentheses allowed), an IETF draft by name, OWASP ASVS with its number, the OpenAPI
 * Specification, the public documentation of a system the contract was drawn from, by
 * name (Jexia, ekoDB, Dxtra, Machinable), or a part of this contract
 * with its file — an operation (`POST /v1/keys (openapi/paths/keys.yaml)`), a component
 * (`KeyCreate (openapi/components/schemas.yaml)`) or a quoted phrase of the file
 * (`rules for every operation, "Path ids" (openapi/openapi.yaml)`). Design notes outside
 * the repository and issue numbers are not sources: nobody reading the contract can open them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HTTP_METHODS, contract, type HttpMethod } from './bundle.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SYSTEMS = ['Jexia', 'ekoDB', 'Dxtra', 'Machinable'];

const STANDARDS = [
  /^RFC \d{3,5}( §\d+(\.\d+)*(, §\d+(\.\d+)*)*)?( \([^()]+\))?$/,
  /^draft-ietf-[a-z0-9-]+$/,
  /^OWASP ASVS \d+(\.\d+)*$/,
  /^OpenAPI Specification 3\.1( \([^()]+\))?$/,
  new RegExp(`^(${SYSTEMS.join('|')}) documentation$`),
];

/** Why `source` cites something a reader cannot open, or undefined when every part is fine. */
export function sourceProblem(source: string): string | undefined {
  for (const part of source.split('; ')) {
    if (STANDARDS.some((form) => form.test(part))) continue;
    const cited = /^(.+) \((openapi\/[^()]+)\)$/.exec(part);
    if (!cited) return `"${part}" is neither a standard, a named system's documentation nor a part of the contract with its file`;
    const problem = contractPartProblem(cited[1]!, cited[2]!);
    if (problem) return `"${part}": ${problem}`;
  }
  return undefined;
}

function contractPartProblem(name: string, file: string): string | undefined {
  const path = `${ROOT}${file}`;
  if (!existsSync(path)) return `${file} does not exist`;
  const operation = /^([A-Z]+) (\/\S*)$/.exec(name);
  if (operation) {
    const method = operation[1]!.toLowerCase() as HttpMethod;
    return HTTP_METHODS.includes(method) && contract.paths[operation[2]!]?.[method] ? undefined : `the contract has no operation ${name}`;
  }
  const text = readFileSync(path, 'utf8');
  if (/^[A-Z]\w+$/.test(name)) return new RegExp(`^${name}:`, 'm').test(text) ? undefined : `${file} defines no ${name}`;
  const phrase = /"([^"]+)"/.exec(name)?.[1];
  if (phrase === undefined) return `name a component, an operation or a quoted phrase of ${file}`;
  return text.includes(phrase) ? undefined : `${file} does not say "${phrase}"`;
}
