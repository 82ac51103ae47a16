// A small, realistic run for the reporters' tests: one case of every status, a failure
// with a transcript full of secrets, a case whose own assertions held but whose response
// broke the contract (ERR-017 alone fails), a stale expected failure.
import type { Requirement } from '../openapi/contract.ts'
import type { TranscriptEntry } from '../suites/harness/case-context.ts'
import type { ExpectedFailure } from './expected-failures.ts'
import { buildResults, type CaseOutcome, type RunInfo, type RunResults } from './results.ts'

export const SECRETS = {
  adminSecret: 'sk_AdminSecretAdminSecretAdminSecretAdmin1',
  keySecret: 'sk_ClientSecretClientSecretClientSecret12',
  password: 'correct horse battery staple',
  jwt: 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJrZXlfYWJjIn0.c2lnbmF0dXJlc2lnbmF0dXJl',
  refresh: 'rt_RefreshRefreshRefreshRefreshRefreshRefresh1',
  controlToken: 'control-token-4711',
}

export const SAMPLE_REQUIREMENTS: Requirement[] = [
  { id: 'AUTH-001', level: 'MUST', area: 'auth', title: 'Exchange', text: '', source: '' },
  { id: 'AUTH-002', level: 'MUST', area: 'auth', title: 'Sessions', text: '', source: '' },
  { id: 'AUTH-008', level: 'MUST', area: 'auth', title: 'Reuse revokes <session>', text: '', source: '' },
  { id: 'AUTH-014', level: 'SHOULD', area: 'auth', title: 'No store', text: '', source: '' },
  { id: 'AUTH-013', level: 'MUST', area: 'auth', title: 'ApiKey scheme', text: '', source: '' },
  { id: 'AUTH-004', level: 'MUST', area: 'auth', title: 'Expiry', text: '', source: '' },
  { id: 'KEY-001', level: 'MUST', area: 'keys', title: 'Secret shown once', text: '', source: '' },
  { id: 'KEY-002', level: 'MUST', area: 'keys', title: 'Uncovered', text: '', source: '' },
  { id: 'ERR-017', level: 'MUST', area: 'errors', title: 'Contract', text: '', source: '' },
]

const leakyTranscript: TranscriptEntry[] = [
  {
    method: 'POST',
    url: 'http://127.0.0.1:4010/v1/auth/token',
    requestHeaders: { 'content-type': 'application/json', authorization: `Bearer ${SECRETS.jwt}` },
    requestBody: JSON.stringify({ api_key: 'key_abcdefghijklmnopqrst', api_secret: SECRETS.keySecret }),
    status: 200,
    responseHeaders: { 'content-type': 'application/json' },
    responseBody: JSON.stringify({ access_token: SECRETS.jwt, refresh_token: SECRETS.refresh, token_type: 'Bearer' }),
    durationMs: 4,
  },
  {
    method: 'POST',
    url: 'http://127.0.0.1:4010/v1/sessions',
    requestHeaders: { authorization: `Basic ${Buffer.from(`a@example.test:${SECRETS.password}`).toString('base64')}`, 'x-control-token': SECRETS.controlToken },
    requestBody: JSON.stringify({ email: 'a@example.test', password: SECRETS.password }),
    status: 401,
    responseHeaders: { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer error="invalid_token"' },
    responseBody: JSON.stringify({ code: 'invalid_credentials', detail: `admin secret ${SECRETS.adminSecret} <script>` }),
    durationMs: 3,
  },
]

export function outcome(name: string, state: CaseOutcome['state'], extra: Partial<CaseOutcome> = {}): CaseOutcome {
  return {
    file: 'suites/auth/tokens.suite.ts',
    fullName: `group > ${name}`,
    name,
    state,
    errors: [],
    contractViolations: [],
    transcript: [],
    durationMs: 12,
    ...extra,
  }
}

export const SAMPLE_OUTCOMES: CaseOutcome[] = [
  outcome('AUTH-001 a key exchanges for tokens', 'passed'),
  outcome('AUTH-008 a reused refresh token revokes the session', 'failed', {
    errors: [`expected 401 to be 200 (token ${SECRETS.jwt})`],
    transcript: leakyTranscript,
  }),
  outcome('AUTH-014 token responses are not cached', 'failed', { errors: ['cache-control missing'], transcript: leakyTranscript }),
  outcome('AUTH-013 ApiKey scheme works', 'skipped', { verdict: 'not_applicable', reason: 'feature apikey_scheme not listed' }),
  outcome('AUTH-004 an access token expires', 'skipped', { verdict: 'not_verified', reason: '--time skip' }),
  { ...outcome('KEY-001 a key is listed without secret', 'failed', { errors: ['expected the secret to be absent'] }), file: 'suites/keys/create.suite.ts' },
  outcome('AUTH-002 every exchange opens a session', 'passed', {
    contractViolations: [{ operation: 'exchangeToken', violations: ['POST /v1/auth/token → 200: header RateLimit-Remaining: \'-1\' must be >= 0'], exchange: leakyTranscript[0]! }],
  }),
]

export const SAMPLE_EXPECTED: ExpectedFailure[] = [
  { id: 'KEY-001', reason: 'tracked in issue 12' },
  { id: 'AUTH-001', reason: 'fixed long ago' },
]

export function sampleRun(overrides: Partial<RunInfo> = {}): RunInfo {
  return {
    target: 'http://127.0.0.1:4010',
    runId: 'r1abc',
    seed: 42,
    timeStrategy: 'control',
    timeReason: 'discovery lists test_control',
    areas: ['auth', 'keys', 'errors'],
    strict: false,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234,
    budgetExhausted: false,
    unhandledErrors: [],
    allowUnverified: false,
    cleanupProblems: [],
    ...overrides,
  }
}

export function sampleResults(overrides: { run?: Partial<RunInfo>; expected?: ExpectedFailure[]; outcomes?: CaseOutcome[] } = {}): RunResults {
  return buildResults({
    outcomes: overrides.outcomes ?? SAMPLE_OUTCOMES,
    requirements: SAMPLE_REQUIREMENTS,
    expectedFailures: overrides.expected ?? SAMPLE_EXPECTED,
    run: sampleRun(overrides.run),
    secrets: [SECRETS.adminSecret, SECRETS.controlToken],
  })
}
