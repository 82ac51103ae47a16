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
  /** Tokens of the up-front admin exchange, so files do not each spend a token request. */
  adminTokens: TokenResponse
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
