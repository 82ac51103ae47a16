/**
 * API keys: create (secret shown once, stored as SHA-256), list/get without secrets,
 * revoke (gone at once, sessions ended), rotate (new secret, earlier tokens dead), and the
 * bootstrap admin key from fixtures/config.
 */
import type { StoredKey } from '../store/store.ts'
import type { CreatedKey, Key, KeyInput } from './contract.ts'
import { iso, type Internals } from './context.ts'
import { ConflictError, InvalidRequestError, NotFoundError } from './errors.ts'
import { KEY_ID_PATTERN, KEY_SECRET_PATTERN, newId, newKeySecret, sha256Hex } from './secrets.ts'
import type { Sessions } from './sessions.ts'

function toKey(key: StoredKey): Key {
  return {
    id: key.id,
    description: key.description,
    role: key.role,
    created_at: iso(key.createdAt),
    expires_at: key.expiresAt === null ? null : iso(key.expiresAt),
    rotated_at: key.rotatedAt === null ? null : iso(key.rotatedAt),
  }
}

function bodyError(path: string, message: string): InvalidRequestError {
  return new InvalidRequestError(message, [{ in: 'body', path, message }])
}

export function createKeys({ clock, store, seams }: Internals, sessions: Sessions) {
  function parseExpiry(expiresAt: string | undefined): number | null {
    if (expiresAt === undefined) return null
    const millis = Date.parse(expiresAt)
    if (Number.isNaN(millis)) throw bodyError('/expires_at', 'expires_at must be an RFC 3339 date-time.')
    if (millis <= clock.now()) throw bodyError('/expires_at', 'expires_at must be in the future.')
    return millis
  }

  function checkIdAndSecret(id: string, secret: string): void {
    if (!KEY_ID_PATTERN.test(id)) throw bodyError('/id', `key id must match ${KEY_ID_PATTERN.source}.`)
    if (!KEY_SECRET_PATTERN.test(secret)) throw bodyError('/secret', `key secret must match ${KEY_SECRET_PATTERN.source}.`)
  }

  function find(id: string): StoredKey {
    const key = store.keys.get(id)
    if (key === undefined) throw new NotFoundError('No such key.')
    return key
  }

  function endKeySessions(id: string): void {
    sessions.endAllOf({ type: 'api_key', id })
  }

  return {
    create(input: KeyInput, options: { id?: string; secret?: string } = {}): CreatedKey {
      const description = input.description
      if (typeof description !== 'string' || description.length < 1 || description.length > 200) {
        throw bodyError('/description', 'description must be 1 to 200 characters.')
      }
      if (input.role !== undefined && input.role !== 'admin' && input.role !== 'client') throw bodyError('/role', 'role must be admin or client.')
      const id = options.id ?? newId('key')
      const secret = options.secret ?? newKeySecret()
      checkIdAndSecret(id, secret)
      if (store.keys.get(id) !== undefined) throw new ConflictError(`Key ${id} already exists.`)
      const key: StoredKey = {
        id,
        description,
        role: input.role ?? 'client',
        secretHash: sha256Hex(secret),
        createdAt: clock.now(),
        expiresAt: parseExpiry(input.expires_at),
        rotatedAt: null,
      }
      store.keys.put(key)
      return { ...toKey(key), secret }
    },

    list: (): Key[] => [...store.keys.values()].map(toKey),

    get: (id: string): Key => toKey(find(id)),

    revoke(id: string): void {
      find(id)
      store.keys.delete(id)
      seams.onKeyRevoked({ endKeySessions: () => endKeySessions(id) })
    },

    rotate(id: string): CreatedKey {
      const key = find(id)
      const secret = newKeySecret()
      key.secretHash = sha256Hex(secret)
      key.rotatedAt = clock.now()
      store.keys.put(key)
      seams.invalidateOnRotate({ endKeySessions: () => endKeySessions(id) })
      return { ...toKey(key), secret }
    },

    /** The admin key with a known id and secret; replaces (and logs out) a key with that id. */
    bootstrapAdmin(input: { id: string; secret: string; description?: string; expiresAt?: string }): Key {
      checkIdAndSecret(input.id, input.secret)
      const existing = store.keys.get(input.id)
      if (existing !== undefined) endKeySessions(input.id)
      const key: StoredKey = {
        id: input.id,
        description: input.description ?? 'bootstrap admin key',
        role: 'admin',
        secretHash: sha256Hex(input.secret),
        createdAt: existing?.createdAt ?? clock.now(),
        expiresAt: parseExpiry(input.expiresAt),
        rotatedAt: null,
      }
      store.keys.put(key)
      return toKey(key)
    },
  }
}
