// The mock the fuzzer attacks: control extension on (its routes are fuzzed too), and
// sign-in/exchange limits raised so that the fuzzer's own bookkeeping (minting
// credentials again after it deleted its key or advanced the clock) is never starved.
// 429s stay reachable on the data routes, whose default limit is kept.
import type { MockOptions } from '../../mock/server.ts'

export const FUZZ_MOCK_OPTIONS: MockOptions = {
  port: 0,
  control: true,
  logLevel: 'silent',
  rateLimits: [
    { scope: 'token', limit: 1_000_000, windowSeconds: 60 },
    { scope: 'signin', limit: 1_000_000, windowSeconds: 60 },
    { scope: 'signin_failures', limit: 1_000_000, windowSeconds: 300 },
  ],
}
