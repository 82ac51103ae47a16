/**
 * The README's requirement table (ID, level, title of every requirement, in catalogue
 * order), kept between two marker comments and rewritten from openapi/requirements.yaml:
 *
 *   tsx openapi/docs/readme-requirements.ts   (also the last step of `npm run generate`)
 *
 * readme-requirements.test.ts fails while the README's table differs from the catalogue.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requirements, type Requirement } from '../contract.ts';

export const README_PATH = fileURLToPath(new URL('../../README.md', import.meta.url));
const START = '<!-- requirements:start (generated from openapi/requirements.yaml by npm run generate) -->';
const END = '<!-- requirements:end -->';

/** A Markdown table cell: pipes escaped, on one line. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

export function renderRequirementTable(catalogue: readonly Requirement[]): string {
  const rows = catalogue.map((req) => `| ${req.id} | ${req.level} | ${cell(req.title)} |`);
  return ['| ID | Level | Title |', '| --- | --- | --- |', ...rows].join('\n');
}

/** `readme` with the text between the markers replaced by `table`; throws when a marker is missing. */
export function withRequirementTable(readme: string, table: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`README.md lacks the markers ${START} … ${END}`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readme = readFileSync(README_PATH, 'utf8');
  const updated = withRequirementTable(readme, renderRequirementTable(requirements));
  if (updated !== readme) writeFileSync(README_PATH, updated);
}
