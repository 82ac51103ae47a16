/**
 * Produces the generated contract files (bundle.yaml, bundle.json, schema.d.ts) into a
 * directory with the same tools and arguments as `npm run generate`, so a freshness check
 * can compare them with the committed openapi/generated/.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { repoRoot, runRedocly } from './redocly-cli.ts';

const execFileAsync = promisify(execFile);
const openapiTsBin = fileURLToPath(new URL('../../node_modules/openapi-typescript/bin/cli.js', import.meta.url));

export const GENERATED_FILES = ['bundle.yaml', 'bundle.json', 'schema.d.ts'] as const;

/** Thrown when a generator exits non-zero; `output` is what it printed. */
export class GenerateError extends Error {
  readonly code = 'CONTRACT_GENERATE_FAILED';
  override name = 'GenerateError';
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

async function bundleTo(file: string, ext: 'yaml' | 'json'): Promise<void> {
  const { stdout, exitCode } = await runRedocly(['bundle', 'openapi/openapi.yaml', '--ext', ext, '-o', file]);
  if (exitCode !== 0) throw new GenerateError(`redocly bundle failed (exit ${exitCode})`, stdout);
}

export async function generateContract(outDir: string): Promise<void> {
  const yamlBundle = join(outDir, 'bundle.yaml');
  await Promise.all([bundleTo(yamlBundle, 'yaml'), bundleTo(join(outDir, 'bundle.json'), 'json')]);
  try {
    await execFileAsync(process.execPath, [openapiTsBin, yamlBundle, '--default-non-nullable', 'false', '-o', join(outDir, 'schema.d.ts')], {
      cwd: repoRoot,
    });
  } catch (error) {
    const failed = error as { stderr?: string };
    throw new GenerateError('openapi-typescript failed', failed.stderr ?? String(error));
  }
}
