import { afterEach, describe, expect, it, vi } from 'vitest'
import type { TokenResponse } from './contract-types.ts'
import { renewing } from './renewing.ts'

const issued = (n: number, expiresIn: number) => ({ access_token: `token-${n}`, expires_in: expiresIn }) as TokenResponse

describe('renewing: set-up tokens obtained again once half their lifetime has passed', () => {
  afterEach(() => vi.useRealTimers())

  it.each([
    { expiresIn: 10, elapsedMs: 0, obtained: 1 },
    { expiresIn: 10, elapsedMs: 4_999, obtained: 1 },
    { expiresIn: 10, elapsedMs: 5_000, obtained: 2 },
    { expiresIn: 3600, elapsedMs: 60_000, obtained: 1 },
  ])('a lifetime of $expiresIn s, asked again after $elapsedMs ms: obtained $obtained time(s)', async ({ expiresIn, elapsedMs, obtained }) => {
    vi.useFakeTimers({ toFake: ['performance'] })
    let count = 0
    const tokens = renewing(async () => issued(++count, expiresIn))
    expect((await tokens()).access_token).toBe('token-1')
    vi.advanceTimersByTime(elapsedMs)
    expect((await tokens()).access_token).toBe(`token-${obtained}`)
    expect(count).toBe(obtained)
  })

  it('callers asking while a renewal is under way share it: one exchange for a case with requests in flight', async () => {
    vi.useFakeTimers({ toFake: ['performance'] })
    let count = 0
    const tokens = renewing(async () => issued(++count, 10))
    await tokens()
    vi.advanceTimersByTime(5_000)
    const asked = await Promise.all([tokens(), tokens(), tokens()])
    expect(asked.map((answer) => answer.access_token)).toEqual(['token-2', 'token-2', 'token-2'])
    expect(count).toBe(2)
  })

  it('a renewal that failed is tried again by the next caller', async () => {
    let count = 0
    const tokens = renewing(async () => {
      count += 1
      if (count === 1) throw new Error('the exchange answered 503')
      return issued(count, 10)
    })
    await expect(tokens()).rejects.toThrow('the exchange answered 503')
    expect((await tokens()).access_token).toBe('token-2')
  })
})
