import { describe, expect, it } from 'vitest'
import { checkControlAccess, isLoopback } from './control-access.ts'

describe.each([
  ['127.0.0.1', true],
  ['127.8.9.10', true],
  ['::1', true],
  ['::ffff:127.0.0.1', true],
  ['10.0.0.7', false],
  ['::ffff:192.168.1.2', false],
  ['fe80::1', false],
  ['1270::1', false],
])('address %s', (address, loopback) => {
  it(`is ${loopback ? '' : 'not '}loopback`, () => {
    expect(isLoopback(address)).toBe(loopback)
  })

  it(`is ${loopback ? 'admitted' : 'refused'} without a control token`, () => {
    const check = () => checkControlAccess({ controlToken: undefined, presented: undefined, address })
    if (loopback) expect(check).not.toThrow()
    else expect(check).toThrow(expect.objectContaining({ code: 'forbidden' }))
  })

  it('is admitted with the right token and refused with a wrong one', () => {
    expect(() => checkControlAccess({ controlToken: 't0k', presented: 't0k', address })).not.toThrow()
    expect(() => checkControlAccess({ controlToken: 't0k', presented: 't0K', address })).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    )
    expect(() => checkControlAccess({ controlToken: 't0k', presented: ['t0k', 't0k'], address })).toThrow()
  })
})
