/**
 * Runs the project's Redocly CLI (node_modules) as a child process. The CLI is the tool
 * `npm run bundle`/`lint:openapi` use, so tests that call it check exactly what CI runs.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const redoclyBin = fileURLToPath(new URL('../../node_modules/@redocly/cli/bin/cli.js', import.meta.url));

export interface LintTotals {
  errors: number;
  warnings: number;
  ignored: number;
}

export interface LintReport {
  totals: LintTotals;
  problems: Array<{ ruleId: string; severity: string; message: string }>;
}

/** Runs `redocly <args>` from the repository root; resolves with stdout even on exit code 1. */
export async function runRedocly(args: string[]): Promise<{ stdout: string; exitCode: number }> {
  try {
    const { stdout } = await execFileAsync(process.execPath, [redoclyBin, ...args], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    return { stdout, exitCode: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; code?: number };
    if (typeof failed.stdout !== 'string' || typeof failed.code !== 'number') throw error;
    return { stdout: failed.stdout, exitCode: failed.code };
  }
}

/** Lints one file with the project's redocly.yaml and returns the JSON report. */
export async function lintFile(file: string): Promise<LintReport> {
  const { stdout } = await runRedocly(['lint', file, '--format=json', '--config', `${repoRoot}redocly.yaml`]);
  return JSON.parse(stdout) as LintReport;
}
