import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requirements } from '../contract.ts';
import { README_PATH, renderRequirementTable, withRequirementTable } from './readme-requirements.ts';

describe("the README's requirement table", () => {
  it('lists every requirement of the catalogue, as the catalogue states it', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    const fresh = withRequirementTable(readme, renderRequirementTable(requirements));
    expect(readme === fresh, "README.md's requirement table is stale: run npm run generate").toBe(true);
  });

  it('renders one row per requirement, pipes escaped', () => {
    const table = renderRequirementTable([
      { id: 'AUTH-001', level: 'MUST', area: 'auth', title: 'A | B', text: 'x', source: 'y' },
    ]);
    expect(table.split('\n')).toEqual(['| ID | Level | Title |', '| --- | --- | --- |', '| AUTH-001 | MUST | A \\| B |']);
  });

  it('refuses a README without the markers', () => {
    expect(() => withRequirementTable('# no table here', 'x')).toThrow(/lacks the markers/);
  });
});
