/**
 * Random identifiers and secrets, and one-way hashing of secrets. Random values come from
 * node:crypto; base62 is drawn by rejection sampling so every character is equally likely.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
/** 248 = 4 × 62: bytes at or above it are dropped so `byte % 62` is uniform. */
const UNBIASED_LIMIT = 248

export function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < UNBIASED_LIMIT) out += BASE62[byte % 62]
      if (out.length === length) break
    }
  }
  return out
}

export const KEY_ID_PATTERN = /^key_[A-Za-z0-9]{16,}$/
export const KEY_SECRET_PATTERN = /^sk_[A-Za-z0-9]{40}$/

export type IdPrefix = 'key' | 'usr' | 'ses' | 'pol' | 'rec'

/** `key_` + 24 base62; the other prefixes + 20 base62. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(prefix === 'key' ? 24 : 20)}`
}

/** `sk_` + 40 base62. */
export function newKeySecret(): string {
  return `sk_${randomBase62(40)}`
}

/** `rt_` + 43 base64url characters (32 random bytes). */
export function newRefreshToken(): string {
  return `rt_${randomBytes(32).toString('base64url')}`
}

/** SHA-256, hex: how secrets and refresh tokens are stored. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex')
}

/** Compares a presented secret with a stored SHA-256 hex digest in constant time. */
export function secretMatches(presented: string, storedHashHex: string): boolean {
  const presentedHash = createHash('sha256').update(presented, 'utf8').digest()
  const stored = Buffer.from(storedHashHex, 'hex')
  return stored.length === presentedHash.length && timingSafeEqual(presentedHash, stored)
}
