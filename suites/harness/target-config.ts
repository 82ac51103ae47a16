// The run's configuration as the workers see it. The verify command resolves it once in
// the main process (flags, config file, env, discovery, the admin exchange) and hands it
// to every test file through vitest's provide/inject, so it must stay JSON-serialisable.
import type { Discovery, TokenResponse } from './contract-types.ts'

export type TimeStrategy = 'control' | 'wait' | 'skip'
export const TIME_STRATEGIES: readonly TimeStrategy[] = ['control', 'wait', 'skip']

export interface TargetConfig {
  baseUrl: string
  discovery: Discovery
  admin: { key: string; secret: string }
  /**
   * Tokens of the up-front admin exchange, so files do not each spend a token request.
   * Absent under a profile without a token exchange: the admin key is then used directly.
   */
  adminTokens?: TokenResponse
  /** The wire format the target speaks, when it is not the contract's own (`--profile`). */
  profile?: ProfileRun
  runId: string
  seed: number
  timeStrategy: TimeStrategy
  maxWaitSeconds: number
  timeoutMs: number
  controlToken: string | undefined
  keep: boolean
  /**
   * When the cases must stop (deadlineFor), in milliseconds since the epoch: Date.now()'s
   * clock, the one every process of the run reads alike (budget.ts, runner.ts).
   */
  deadline: number
  /** Where serial files get their turns (serial-turns.ts); the runner names it per run. */
  serialTurns?: string
}

export interface ProfileRun {
  /** The profile file (absolute): each worker loads and compiles it once. */
  file: string
  /** Per requirement id, why it is not applicable under the profile (an assumption it does not meet). */
  notApplicable: Record<string, string>
  /** The provider-states endpoint (absolute URL), when the run has one. */
  setupUrl?: string
  /** Pre-provisioned subjects (`--subjects FILE`), when the run has them. */
  subjects?: Subjects
}

/** Subjects a target provides ready-made, for set-up without an admin API. */
export interface Subjects {
  keys: { id: string; secret: string }[]
  users: { id: string; email: string; password: string }[]
  datasets: string[]
}

/**
 * How long past the cases' deadline a file's clean-up may still talk to the target: enough
 * to delete a run's data from a healthy target, short enough not to matter against a
 * hostile one.
 */
export const CLEANUP_GRACE_MS = 1000
/**
 * What ending a run at its deadline takes: the clean-up grace, stopping the workers
 * (runner.ts) and writing the reports. The cases' deadline comes that much before the end
 * of --budget, so that the whole run fits in it.
 */
export const WIND_DOWN_MS = CLEANUP_GRACE_MS + 1500
/** setTimeout's longest delay: timers towards the deadline are capped at it (a longer budget is as good as none). */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** The cases' deadline for a --budget that counts from the process start (start-up and preflight are part of the run). */
export function deadlineFor(budgetSeconds: number): number {
  return performance.timeOrigin + budgetSeconds * 1000 - WIND_DOWN_MS
}

export const PROVIDE_KEY = 'authconform'

declare module 'vitest' {
  export interface ProvidedContext {
    authconform: TargetConfig
  }
}
