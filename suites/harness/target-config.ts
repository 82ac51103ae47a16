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
}

export const PROVIDE_KEY = 'authconform'

declare module 'vitest' {
  export interface ProvidedContext {
    authconform: TargetConfig
  }
}
