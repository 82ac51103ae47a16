/**
 * Renders the contract documentation: the API reference (Redoc, via `redocly build-docs
 * --inlineBundle`, so it works offline) and the requirement catalogue, linked both ways —
 * each operation's description in the rendered copy lists its requirements with links into
 * requirements.html, and each requirement links to the operations that name it.
 *
 *   renderContractDocs()        → { 'index.html': …, 'requirements.html': … } (the mock serves these at /docs)
 *   writeContractDocs(outDir)   → writes them; `npm run docs` writes reports/docs/
 *
 * Rendering takes a few seconds (Redoc bundling); callers that serve it should cache it.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  contract,
  operations,
  requirementById,
  requirements,
  type OpenApiDocument,
  type Operation,
} from '../contract.ts';
import { GenerateError } from '../tooling/generate.ts';
import { repoRoot, runRedocly } from '../tooling/redocly-cli.ts';
import { renderRequirementsPage } from './requirements-page.ts';

export const REFERENCE_FILE = 'index.html';
export const REQUIREMENTS_FILE = 'requirements.html';

/** Where Redoc 3 (hash routing) shows an operation: #/<tag>/<operationId, lower case>. */
export function operationHref(op: Operation): string {
  return `${REFERENCE_FILE}#/${op.tags[0] ?? 'operations'}/${op.operationId.toLowerCase()}`;
}

export function requirementHref(id: string): string {
  return `${REQUIREMENTS_FILE}#${id}`;
}

/** A copy of the contract whose operation descriptions end with links to their requirements. */
export function withRequirementLinks(doc: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(doc);
  for (const op of operations()) {
    const target = copy.paths[op.path]?.[op.method];
    if (!target) continue;
    const lines = op.requirements.map((id) => {
      const req = requirementById(id);
      return `- [${id}](${requirementHref(id)}) ${req.level}: ${req.title}`;
    });
    target.description = `${target.description ?? ''}\n\n**Requirements** ([catalogue](${REQUIREMENTS_FILE})):\n\n${lines.join('\n')}\n`;
  }
  copy.info.description = `${String(copy.info.description ?? '')}\n\nThe [requirement catalogue](${REQUIREMENTS_FILE}) lists every requirement with the operations it governs; the [profiles](profiles.html) map these operations onto the wire formats of other systems.`;
  return copy;
}

// build-docs --inlineBundle embeds Redoc itself; only the sidebar logo still points at the
// Redocly CDN. Point it at an empty inline SVG so the page makes no network request.
const CDN_LOGOS = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g;
const EMPTY_SVG = 'data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E';

async function renderReference(doc: OpenApiDocument): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'authconform-docs-'));
  try {
    const input = join(dir, 'openapi.json');
    const output = join(dir, REFERENCE_FILE);
    await writeFile(input, JSON.stringify(doc));
    const { stdout, exitCode } = await runRedocly([
      'build-docs',
      input,
      '--inlineBundle',
      '--title',
      'authconform API reference',
      '--config',
      join(repoRoot, 'redocly.yaml'),
      '-o',
      output,
    ]);
    if (exitCode !== 0) throw new GenerateError(`redocly build-docs failed (exit ${exitCode})`, stdout);
    return (await readFile(output, 'utf8')).replace(CDN_LOGOS, EMPTY_SVG);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function renderContractDocs(): Promise<Record<string, string>> {
  const reference = await renderReference(withRequirementLinks(contract));
  const catalogue = renderRequirementsPage({
    requirements,
    operations: operations(),
    operationHref,
    referenceFile: REFERENCE_FILE,
  });
  return { [REFERENCE_FILE]: reference, [REQUIREMENTS_FILE]: catalogue };
}

export async function writeContractDocs(outDir: string): Promise<string[]> {
  const pages = await renderContractDocs();
  await mkdir(outDir, { recursive: true });
  const written = Object.keys(pages).map((name) => join(outDir, name));
  await Promise.all(Object.entries(pages).map(([name, html]) => writeFile(join(outDir, name), html)));
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = resolve(process.argv[2] ?? join(repoRoot, 'reports', 'docs'));
  writeContractDocs(outDir).then(
    (files) => console.log(files.map((f) => `wrote ${f}`).join('\n')),
    (error: unknown) => {
      console.error(`docs: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
