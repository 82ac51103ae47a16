// The turns of serial files: none while an ordinary file of the run is left, then one at a
// time in the order they asked; a wait ends with the budget. Runner and workers are
// BroadcastChannels of one name, here all in this thread.
import { afterEach, describe, expect, it } from 'vitest'
import { awaitTurn, serialTurns } from './serial-turns.ts'

let channel = 0
let turns: ReturnType<typeof serialTurns> | undefined
afterEach(() => turns?.close())

const ORDINARY = ['/s/auth/a.suite.ts', '/s/keys/b.suite.ts']
const CLOCK = '/s/auth/lifetimes.clock.suite.ts'
const RATE_LIMIT = '/s/errors/limits.ratelimit.suite.ts'

/** Starts a runner side; returns the channel name and which waits have been granted so far. */
function setUp(files: string[]) {
  const name = `serial-turns-test-${process.pid}-${channel++}`
  turns = serialTurns(name)
  turns.start(files)
  const granted: string[] = []
  const wait = (file: string, signal = new AbortController().signal) =>
    awaitTurn(name, file, signal).then(() => {
      granted.push(file)
    })
  return { turns, granted, wait }
}

/** Lets the channel deliver what is in flight. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30))

describe('serial turns', () => {
  it('grants none while ordinary files are left, then one serial file at a time', async () => {
    const { turns, granted, wait } = setUp([...ORDINARY, CLOCK, RATE_LIMIT])
    const clock = wait(CLOCK)
    await settle()
    const rateLimit = wait(RATE_LIMIT)
    await settle()
    turns.ended(ORDINARY[0]!)
    await settle()
    expect(granted).toEqual([])
    turns.ended(ORDINARY[1]!)
    await clock
    await settle()
    expect(granted).toEqual([CLOCK])
    turns.ended(CLOCK)
    await rateLimit
    expect(granted).toEqual([CLOCK, RATE_LIMIT])
  })

  it('grants at once in a run of serial files only', async () => {
    const { granted, wait } = setUp([CLOCK])
    await wait(CLOCK)
    expect(granted).toEqual([CLOCK])
  })

  it('ends a wait with the reason of its signal (the run budget)', async () => {
    const { wait } = setUp([...ORDINARY, CLOCK])
    const budget = new AbortController()
    const waiting = wait(CLOCK, budget.signal)
    budget.abort(new Error('budget ran out'))
    await expect(waiting).rejects.toThrow('budget ran out')
  })
})
