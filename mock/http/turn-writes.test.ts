import { describe, expect, it } from 'vitest'
import { createTurnWrites } from './turn-writes.ts'

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

describe('createTurnWrites', () => {
  it('runs the writes of a turn after the code that queued them, together, in order', async () => {
    const later = createTurnWrites()
    const seen: string[] = []
    later(() => seen.push('first'))
    await Promise.resolve()
    later(() => seen.push('second'))
    seen.push('queued')
    expect(seen).toEqual(['queued'])
    await nextTurn()
    expect(seen).toEqual(['queued', 'first', 'second'])
  })

  it('runs a write queued by a write in the next turn, not never', async () => {
    const later = createTurnWrites()
    const seen: string[] = []
    later(() => {
      seen.push('outer')
      later(() => seen.push('inner'))
    })
    await nextTurn()
    expect(seen).toEqual(['outer'])
    await nextTurn()
    expect(seen).toEqual(['outer', 'inner'])
  })
})
