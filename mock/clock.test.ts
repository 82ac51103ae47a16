import { expect, it } from 'vitest'
import { describeClock } from './clock-cases.ts'
import { createClock } from './clock.ts'

describeClock('local', (source) => createClock({ source }))

it('starts at a given offset', () => {
  const clock = createClock({ source: () => 1_000_000, offsetSeconds: 10 })
  expect(clock.now()).toBe(1_010_000)
  expect(clock.offsetSeconds()).toBe(10)
})
