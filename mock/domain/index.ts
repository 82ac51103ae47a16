/**
 * The mock's domain facade, free of HTTP: createDomain assembles the modules and exposes the
 * operations the HTTP layer and the fixtures loader call (documented on the Domain interface).
 */
import { createAuth } from './auth.ts'
import { createInternals } from './context.ts'
import { createDatasets } from './datasets.ts'
import { createDiscovery } from './discovery.ts'
import { createKeys } from './keys.ts'
import { createPermissions } from './permissions.ts'
import { createPolicies } from './policies.ts'
import { createRecords } from './records.ts'
import { createRoles } from './roles.ts'
import { createSessions } from './sessions.ts'
import { createState } from './state.ts'
import { createTokens } from './tokens.ts'
import type { Domain, DomainContext } from './types.ts'
import { createUsers } from './users.ts'

export type * from './types.ts'
export * from './errors.ts'
export { DEFAULT_RATE_LIMITS, defaultDomainConfig } from './defaults.ts'
export * from './semantics.ts'
export { checkRoleGrant, type RoleGrant } from './roles.ts'

export function createDomain(ctx: DomainContext): Domain {
  const internals = createInternals(ctx)
  const sessions = createSessions(internals)
  const tokens = createTokens(internals, sessions)
  const auth = createAuth(internals, sessions, tokens)
  const keys = createKeys(internals, sessions)
  const users = createUsers(internals, sessions)
  const policies = createPolicies(internals)
  const roles = createRoles(internals)
  const permissions = createPermissions(internals, policies, roles)
  const datasets = createDatasets(internals)
  const records = createRecords(internals, datasets, permissions)
  const state = createState(internals)
  const { discovery, jwks } = createDiscovery(internals)
  // Advancing the clock is when expiries pass in bulk: sweep then (and every N operations).
  internals.clock.onChange(state.sweep)

  return {
    discovery,
    jwks,

    exchangeApiKey(input) {
      state.tick()
      return auth.exchangeApiKey(input)
    },
    refresh({ refreshToken }) {
      state.tick()
      return tokens.refresh(refreshToken)
    },
    revoke: ({ token }) => tokens.revoke(token),
    signIn(input) {
      state.tick()
      return auth.signIn(input)
    },
    authenticate(credential) {
      state.tick()
      // Refusals as a rejected promise, whether known at once or not (types.ts).
      try {
        return auth.authenticate(credential)
      } catch (error) {
        return Promise.reject(error as Error)
      }
    },

    listSessions: (principal) => sessions.list(principal),
    endSession: (principal, id) => sessions.endFor(principal, id),

    createUser: (input, options) => users.create(input, options),
    listUsers: () => users.list(),
    getUser: (id) => users.get(id),
    updateUser: (id, patch) => users.update(id, patch),
    deleteUser: (id) => users.delete(id),

    createKey: (input, options) => keys.create(input, options),
    listKeys: () => keys.list(),
    getKey: (id) => keys.get(id),
    revokeKey: (id) => keys.revoke(id),
    rotateKey: (id) => keys.rotate(id),
    bootstrapAdminKey: (input) => keys.bootstrapAdmin(input),

    createPolicy: (input, options) => policies.create(input, options),
    listPolicies: () => policies.list(),
    getPolicy: (id) => policies.get(id),
    replacePolicy: (id, input) => policies.replace(id, input),
    deletePolicy: (id) => policies.delete(id),
    setRoleGrant: (subject, grant) => roles.set(subject, grant),
    createDataset: (input) => datasets.create(input),
    listDatasets: () => datasets.list(),
    deleteDataset: (name) => datasets.delete(name),

    listRecords: (input) => records.list(input),
    keptListPage: (input) => records.keptPage(input),
    getRecord: (input) => records.get(input),
    createRecord: (input) => records.create(input),
    patchRecord: (input) => records.patch(input),
    deleteRecord: (input) => records.delete(input),
    seedRecord: (input) => records.seed(input),

    permissionsMe: (principal) => permissions.me(principal),
    checkPermission: (input) => permissions.check(input),
    requireAdmin: (principal) => permissions.requireAdmin(principal),
    grants: (principal, dataset, action) => permissions.grants(principal, dataset, action),

    consumeRateLimit(scope, keys) {
      state.tick()
      return internals.limiter.consume(scope, keys)
    },

    markFixtureState: () => state.markFixtureState(),
    reset: (scope) => state.reset(scope),
    sweep: () => state.sweep(),
    stateCounts: () => ({ ...state.counts(), keptListPages: records.keptLists.size, keptListItems: records.keptLists.items }),
  }
}
