// `authconform verify`: resolve the options (flags > AUTHCONFORM_* > config file), check
// the target up front (reachable, discovery, admin credentials, time strategy), run the
// suites with vitest, then write the reports and exit 0 only when every applicable MUST
// passed or is an expected failure (EXIT_CODES). Without --target it verifies the embedded mock.
import { randomBytes } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { requirements } from '../openapi/contract.ts'
import { loadExpectedFailures } from '../reports/expected-failures.ts'
import { finalTable, progressPrinter } from '../reports/report-console.ts'
import { buildResults, EXIT_CODES } from '../reports/results.ts'
import { writeReports } from '../reports/write-reports.ts'
import { adminFromSetup, preflight } from '../suites/harness/preflight.ts'
import { unmetAssumptions } from '../profiles/applicability.ts'
import { profileNamed, type Profile } from '../profiles/profile.ts'
import { ProfileError, UnknownProfileError } from '../profiles/profile-error.ts'
import {
  OPTION_SPECS,
  readConfigFile,
  readEnvironment,
  resolveOptions,
  type RawOptions,
  type VerifyOptions,
} from '../suites/harness/run-options.ts'
import { deadlineFor, type TargetConfig } from '../suites/harness/target-config.ts'
import { UsageError } from '../errors/usage-error.ts'
import { usageErrorFromParseArgs } from './usage-error.ts'
import { IMAGE_FLAGS, resolveImageOptions, startVerifyContainer, type ImageFlagValues } from '../containers/image-options.ts'

const HELP = `Usage: authconform verify [--target URL --admin-key K --admin-secret S] [options]

Runs the conformance suites against a target (without --target: the embedded mock) and
writes results.json, coverage.json, junit.xml, summary.md and report.html.
With --profile the target speaks another system's wire format: every request is said on
it, every answer checked against the profile's own OpenAPI document, and what the profile
cannot express is reported not applicable, with the reason (profiles/README.md).
Options also come from AUTHCONFORM_<NAME> variables and authconform.config.{json,yaml}
(same names as the flags); flags win over the environment, the environment over the file.

Options:
${[...Object.entries(OPTION_SPECS), ...Object.entries(IMAGE_FLAGS)]
  .map(([name, spec]) => `  --${name.padEnd(18)} ${spec.help}`)
  .join('\n')}
  -h, --help             show this help

Exit codes:
  ${EXIT_CODES.passed}  PASSED: every applicable MUST case passed (or is an expected failure)
  ${EXIT_CODES.failed}  FAILED: a MUST case failed, an expected failure is stale, or the budget ran out
  2  usage or configuration error
  ${EXIT_CODES.incomplete}  INCOMPLETE: nothing failed, but MUST cases were not verified (with --time skip,
     a --max-wait too short for the TTLs, limits too large to spend in a run); the
     output and the reports say which and why. --allow-unverified accepts that: exit ${EXIT_CODES.passed}.
Not applicable cases (a feature the target does not declare) never count against it.
`

export async function run(argv: string[]): Promise<number> {
  const flags = parseFlags(argv)
  if (flags === 'help') {
    process.stdout.write(HELP)
    return 0
  }
  const options = resolveOptions({ flags, env: readEnvironment(process.env), file: readConfigFile(process.cwd()) })
  const expectedFailures = options.expectedFailures
    ? loadExpectedFailures(options.expectedFailures, new Set(requirements.map((requirement) => requirement.id)))
    : []
  // Up front: a run whose reports cannot be written would only waste the target's time.
  await requireWritableReportDir(options.reportDir)
  const image = resolveImageOptions({ ...flags, ...options })
  const profile = options.profile === undefined ? undefined : loadProfileOrExplain(options.profile)
  // vitest's Node API is heavy: it loads while the target starts and the preflight runs
  // (only now, so that usage errors stay instant). A failed load surfaces where it is awaited.
  const runnerLoading = import('../suites/harness/runner.ts')
  runnerLoading.catch(() => undefined)
  const embedded = options.target || image ? undefined : await startEmbeddedMock(profile)
  let container: Awaited<ReturnType<typeof startVerifyContainer>> | undefined
  try {
    container = image && (await startVerifyContainer(image, { reportDir: options.reportDir, secrets: [options.adminSecret!, options.controlToken ?? ''] }))
    const baseUrl = options.target ?? container?.url ?? embedded!.url
    const setupUrl = options.setupUrl ?? (profile?.document.setup?.provider_states && new URL(profile.document.setup.provider_states, `${baseUrl}/`).href)
    const admin =
      options.adminKey !== undefined ? { key: options.adminKey, secret: options.adminSecret! }
      : embedded ? { key: embedded.adminKey, secret: embedded.adminSecret }
      : setupUrl ? await adminFromSetup(setupUrl, options.timeoutMs)
      : usage('--target needs --admin-key and --admin-secret, or a profile with a provider-states endpoint (--setup-url)')
    const startedAt = new Date()
    const checked = await preflight({
      baseUrl,
      adminKey: admin.key,
      adminSecret: admin.secret,
      time: options.time,
      maxWaitSeconds: options.maxWaitSeconds,
      timeoutMs: options.timeoutMs,
      controlToken: options.controlToken,
      ...(profile && { profile }),
    })
    const config: TargetConfig = {
      baseUrl,
      discovery: checked.discovery,
      admin,
      ...(checked.adminTokens && { adminTokens: checked.adminTokens }),
      ...(profile && { profile: { file: profile.path, notApplicable: unmetAssumptions(profile, requirements), ...(setupUrl && { setupUrl }) } }),
      runId: newRunId(),
      seed: options.seed,
      timeStrategy: checked.timeStrategy,
      maxWaitSeconds: options.maxWaitSeconds,
      timeoutMs: options.timeoutMs,
      controlToken: options.controlToken,
      keep: options.keep,
      deadline: deadlineFor(options.budgetSeconds),
    }
    process.stdout.write(
      `authconform verify ${baseUrl}${embedded ? ' (embedded mock)' : ''}${image ? ` (${image.image})` : ''}${profile ? ` · profile ${profile.name}` : ''} · run ${config.runId} · seed ${config.seed} · time ${checked.timeStrategy} (${checked.timeReason})\n`,
    )
    const { runSuites } = await runnerLoading
    const suiteRun = await runSuites(config, {
      areas: options.areas,
      ...(options.requirements && { requirements: options.requirements }),
      onCase: progressPrinter((line) => process.stdout.write(`${line}\n`)),
      onLog: (line) => process.stderr.write(`${line}\n`),
    })
    const results = buildResults({
      outcomes: suiteRun.outcomes,
      // A requirement selection is reported alone, not beside a wall of uncovered ones.
      requirements: options.requirements ? requirements.filter((requirement) => options.requirements!.includes(requirement.id)) : requirements,
      expectedFailures,
      secrets: [admin.secret, checked.adminTokens?.access_token ?? '', checked.adminTokens?.refresh_token ?? '', options.controlToken ?? ''],
      run: {
        target: baseUrl,
        runId: config.runId,
        seed: config.seed,
        timeStrategy: checked.timeStrategy,
        timeReason: checked.timeReason,
        areas: options.areas,
        strict: options.strict,
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        budgetExhausted: suiteRun.budgetExhausted,
        unhandledErrors: suiteRun.unhandledErrors,
        allowUnverified: options.allowUnverified,
        cleanupProblems: suiteRun.cleanupProblems,
        ...(profile && { profile: { name: profile.name, title: profile.title } }),
      },
    })
    await writeReportsOrExplain(results, options)
    process.stdout.write(finalTable(results, options.reportDir))
    return results.exitCode
  } finally {
    await embedded?.close()
    await container?.stop()
  }
}

function parseFlags(argv: string[]): (RawOptions & ImageFlagValues) | 'help' {
  const options: ParseArgsConfig['options'] = { help: { type: 'boolean', short: 'h' } }
  for (const [name, spec] of Object.entries(OPTION_SPECS)) options[name] = { type: spec.type }
  for (const [name, spec] of Object.entries(IMAGE_FLAGS)) options[name] = { type: spec.type, multiple: 'multiple' in spec }
  try {
    const { values } = parseArgs({
      args: argv,
      options,
      strict: true,
      allowPositionals: false,
    })
    if (values.help) return 'help'
    return values as RawOptions & ImageFlagValues
  } catch (error) {
    throw usageErrorFromParseArgs(error) ?? error
  }
}

async function startEmbeddedMock(profile: Profile | undefined) {
  const [{ createMock }, { EMBEDDED_VERIFY_OPTIONS }, { FixtureError }] = await Promise.all([
    import('../mock/server.ts'),
    import('../mock/options.ts'),
    import('../mock/fixtures/load-fixtures.ts'),
  ])
  try {
    return await createMock({ ...EMBEDDED_VERIFY_OPTIONS, port: 0, control: true, logLevel: 'silent', ...(profile && { profile }) })
  } catch (error) {
    // A profile's own fixture file is the user's to fix.
    if (error instanceof FixtureError) throw new UsageError(error.message)
    throw error
  }
}

function loadProfileOrExplain(nameOrFile: string): Profile {
  try {
    return profileNamed(nameOrFile)
  } catch (error) {
    if (error instanceof ProfileError || error instanceof UnknownProfileError) throw new UsageError(`--profile: ${error.message}`)
    throw error
  }
}

function usage(message: string): never {
  throw new UsageError(message)
}

async function writeReportsOrExplain(results: Parameters<typeof writeReports>[0], options: VerifyOptions): Promise<void> {
  try {
    await writeReports(results, options.reportDir)
  } catch (error) {
    throw reportDirError(options.reportDir, error)
  }
}

/** Creates the report directory and proves this process can write there. */
async function requireWritableReportDir(dir: string): Promise<void> {
  const probe = join(dir, `.authconform-write-check-${process.pid}`)
  try {
    await mkdir(dir, { recursive: true })
    await writeFile(probe, '')
    await rm(probe)
  } catch (error) {
    throw reportDirError(dir, error)
  }
}

/** Names the user the process runs as: in a container that is rarely the folder's owner. */
function reportDirError(dir: string, error: unknown): UsageError {
  const code = error instanceof Error && 'code' in error ? `${String(error.code)}, ` : ''
  const uid = process.getuid?.()
  return new UsageError(`cannot write the reports to ${dir} (${code}running as uid ${uid ?? 'unknown'})`)
}

/** Short, lowercase, unique enough to name a run's data on a shared target. */
function newRunId(): string {
  return `${Date.now().toString(36).slice(-4)}${randomBytes(3).toString('hex')}`
}
