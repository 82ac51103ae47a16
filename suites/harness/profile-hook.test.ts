import { describe, expect, it } from 'vitest'
import { contractOperation } from '../../profiles/contract-operations.ts'
import { NotApplicableError } from './errors.ts'
import { requiredFields, withAbsentFields } from './profile-hook.ts'

describe('a contract answer under a profile that lacks fields the contract requires', () => {
  const required = requiredFields(contractOperation('exchangeToken'))
  const answer = withAbsentFields({ access_token: 'a', refresh_token: 'r' }, required, "profile jexia's exchangeToken answer") as Record<string, unknown>

  it('ends the case as not applicable when one of them is read, with the reason', () => {
    expect(required).toEqual(expect.arrayContaining(['session_id', 'expires_in']))
    expect(() => answer.session_id).toThrow(NotApplicableError)
    expect(() => answer.session_id).toThrow("profile jexia's exchangeToken answer carries no session_id")
  })

  it('is the answer as it came for every other read', () => {
    expect(answer.access_token).toBe('a')
    expect(answer.nothing_required).toBeUndefined()
    expect(Object.keys(answer)).toEqual(['access_token', 'refresh_token'])
    expect(JSON.stringify(answer)).toBe('{"access_token":"a","refresh_token":"r"}')
  })

  it('is the very answer when it lacks nothing, or is no object', () => {
    const whole = Object.fromEntries(required.map((name) => [name, 1]))
    expect(withAbsentFields(whole, required, 'x')).toBe(whole)
    expect(withAbsentFields([1], required, 'x')).toEqual([1])
    expect(withAbsentFields(undefined, required, 'x')).toBeUndefined()
  })
})
