/**
 * Project users: email (unique, case-insensitive), scrypt-hashed password, namespaces,
 * active flag. Deactivating or deleting a user ends all their sessions.
 */
import { isMailbox } from '../../openapi/formats.ts'
import type { StoredUser } from '../store/store.ts'
import type { User, UserInput, UserPatch } from './contract.ts'
import { iso, type Internals } from './context.ts'
import { ConflictError, InvalidRequestError, NotFoundError } from './errors.ts'
import { hashPassword } from './passwords.ts'
import { newId } from './secrets.ts'
import type { Sessions } from './sessions.ts'

const USER_ID_PATTERN = /^usr_[A-Za-z0-9]{16,}$/
const MIN_PASSWORD_LENGTH = 8

function toUser(user: StoredUser): User {
  return {
    id: user.id,
    email: user.email,
    namespaces: [...user.namespaces],
    active: user.active,
    created_at: iso(user.createdAt),
    updated_at: iso(user.updatedAt),
  }
}

function bodyError(path: string, message: string): InvalidRequestError {
  return new InvalidRequestError(message, [{ in: 'body', path, message }])
}

function checkEmail(email: unknown): string {
  if (typeof email !== 'string' || !isMailbox(email)) throw bodyError('/email', 'email must be an email address.')
  return email
}

function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw bodyError('/password', `password must be at least ${MIN_PASSWORD_LENGTH} characters.`)
  }
  return password
}

function checkNamespaces(namespaces: unknown): string[] {
  if (!Array.isArray(namespaces) || !namespaces.every((namespace) => typeof namespace === 'string' && namespace.length > 0)) {
    throw bodyError('/namespaces', 'namespaces must be an array of non-empty strings.')
  }
  return [...new Set(namespaces as string[])]
}

export function createUsers({ clock, store, config, seams }: Internals, sessions: Sessions) {
  function find(id: string): StoredUser {
    const user = store.users.get(id)
    if (user === undefined) throw new NotFoundError('No such user.')
    return user
  }

  /** ConflictError when another user already has this email (case-insensitive). */
  function claimEmail(emailKey: string, forUserId: string | undefined): void {
    const holder = store.users.lookup('email', emailKey)[0]
    if (holder !== undefined && holder.id !== forUserId) throw new ConflictError('A user with this email already exists.')
  }

  function disable(id: string): void {
    seams.onUserDisabled({ endUserSessions: () => sessions.endAllOf({ type: 'user', id }) })
  }

  return {
    async create(input: UserInput, options: { id?: string } = {}): Promise<User> {
      const email = checkEmail(input.email)
      const password = checkPassword(input.password)
      const namespaces = checkNamespaces(input.namespaces ?? [])
      const id = options.id ?? newId('usr')
      if (!USER_ID_PATTERN.test(id)) throw bodyError('/id', `user id must match ${USER_ID_PATTERN.source}.`)
      if (store.users.get(id) !== undefined) throw new ConflictError(`User ${id} already exists.`)
      claimEmail(email.toLowerCase(), undefined)
      const passwordHash = await hashPassword(password, config.passwordHashCost)
      // Checked again: another create may have taken the email while we hashed.
      claimEmail(email.toLowerCase(), undefined)
      if (store.users.get(id) !== undefined) throw new ConflictError(`User ${id} already exists.`)
      const now = clock.now()
      const user: StoredUser = {
        id, email, emailKey: email.toLowerCase(), passwordHash, namespaces, active: input.active ?? true, createdAt: now, updatedAt: now,
      }
      store.users.put(user)
      return toUser(user)
    },

    list: (): User[] => [...store.users.values()].map(toUser),

    get: (id: string): User => toUser(find(id)),

    async update(id: string, patch: UserPatch): Promise<User> {
      find(id)
      if (Object.keys(patch).length === 0) throw new InvalidRequestError('The patch must change at least one field.')
      const email = patch.email === undefined ? undefined : checkEmail(patch.email)
      const namespaces = patch.namespaces === undefined ? undefined : checkNamespaces(patch.namespaces)
      if (email !== undefined) claimEmail(email.toLowerCase(), id)
      const passwordHash = patch.password === undefined ? undefined : await hashPassword(checkPassword(patch.password), config.passwordHashCost)
      // Re-read after the await: the user may have been deleted, or the email taken.
      const user = find(id)
      if (email !== undefined) {
        claimEmail(email.toLowerCase(), id)
        user.email = email
        user.emailKey = email.toLowerCase()
      }
      if (passwordHash !== undefined) user.passwordHash = passwordHash
      if (namespaces !== undefined) user.namespaces = namespaces
      const deactivated = patch.active === false && user.active
      if (patch.active !== undefined) user.active = patch.active
      user.updatedAt = clock.now()
      store.users.put(user)
      if (deactivated) disable(id)
      return toUser(user)
    },

    delete(id: string): void {
      find(id)
      store.users.delete(id)
      disable(id)
    },
  }
}
