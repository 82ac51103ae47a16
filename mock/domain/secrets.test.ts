import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from './passwords.ts'
import { newId, newKeySecret, newRefreshToken, randomBase62, secretMatches, sha256Hex } from './secrets.ts'

describe('identifiers and secrets', () => {
  it.each([
    ['key id', () => newId('key'), /^key_[A-Za-z0-9]{24}$/],
    ['user id', () => newId('usr'), /^usr_[A-Za-z0-9]{20}$/],
    ['session id', () => newId('ses'), /^ses_[A-Za-z0-9]{20}$/],
    ['key secret', newKeySecret, /^sk_[A-Za-z0-9]{40}$/],
    ['refresh token', newRefreshToken, /^rt_[A-Za-z0-9_-]{43}$/],
  ])('%s has the documented format and does not repeat', (_name, make, pattern) => {
    const values = Array.from({ length: 200 }, make)
    for (const value of values) expect(value).toMatch(pattern)
    expect(new Set(values).size).toBe(values.length)
  })

  it('draws every base62 character', () => {
    expect(new Set(randomBase62(5000)).size).toBe(62)
  })

  it('matches secrets against their SHA-256 only when equal', () => {
    const secret = newKeySecret()
    const stored = sha256Hex(secret)
    expect(stored).toMatch(/^[0-9a-f]{64}$/)
    expect(secretMatches(secret, stored)).toBe(true)
    expect(secretMatches(`${secret}x`, stored)).toBe(false)
    expect(secretMatches(secret, 'not-hex')).toBe(false)
  })
})

describe('passwords', () => {
  it('hash with scrypt and a random salt; verify only the right password', async () => {
    const [first, second] = await Promise.all([hashPassword('correct horse', 1024), hashPassword('correct horse', 1024)])
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/)
    expect(first).not.toBe(second)
    expect(first).not.toContain('correct horse')
    await expect(verifyPassword('correct horse', first)).resolves.toBe(true)
    await expect(verifyPassword('correct horsf', first)).resolves.toBe(false)
  })

  it.each(['', 'bcrypt$x', 'scrypt$1024$8$1$salt'])('never matches a malformed hash %j', async (stored) => {
    await expect(verifyPassword('anything', stored)).resolves.toBe(false)
  })
})
