// The provider-states protocol (profiles/README.md "Set-up without an admin API"): how
// verify asks a target that has no admin API for the subjects its cases need, and what
// the mock under a profile answers. One POST per state, contract-shaped parameters and
// answers, in the manner of Pact's provider states.

export const PROVIDER_STATES = {
  /** The run's admin credentials, when none are given: answers {id, secret}. */
  'an admin key': { creates: undefined, removes: undefined, by: undefined },
  /** params: KeyCreate (+ grant under roles); answers CreatedKey. */
  'a key': { creates: 'createKey', removes: 'deleteKey', by: 'id' },
  /** params: UserCreate (+ grant under roles); answers User. */
  'a user': { creates: 'createUser', removes: 'deleteUser', by: 'id' },
  /** params: DatasetInput; answers Dataset. */
  'a dataset': { creates: 'createDataset', removes: 'deleteDataset', by: 'name' },
  /** params: PolicyInput; answers Policy. */
  'a policy': { creates: 'createPolicy', removes: 'deletePolicy', by: 'id' },
} as const

export type StateName = keyof typeof PROVIDER_STATES
export const STATE_NAMES = Object.keys(PROVIDER_STATES) as StateName[]

export interface StateRequest {
  action: 'setup' | 'teardown'
  state: StateName
  params: Record<string, unknown>
}

/** The state request a body carries, or what is wrong with it (one sentence). */
export function readStateRequest(body: unknown): StateRequest | string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'the body must be a JSON object {action, state, params}'
  const { action = 'setup', state, params = {}, ...rest } = body as Record<string, unknown>
  const unknown = Object.keys(rest)
  if (unknown.length > 0) return `unknown member '${unknown[0]}' (a state request has action, state and params)`
  if (action !== 'setup' && action !== 'teardown') return `action must be setup or teardown, not ${JSON.stringify(action)}`
  if (typeof state !== 'string' || !(state in PROVIDER_STATES)) return `state must be one of ${STATE_NAMES.map((name) => `'${name}'`).join(', ')}`
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return 'params must be a JSON object'
  const spec = PROVIDER_STATES[state as StateName]
  if (action === 'teardown') {
    if (!spec.by) return `'${state}' has no teardown`
    if (typeof (params as Record<string, unknown>)[spec.by] !== 'string') return `a teardown of '${state}' names it by params.${spec.by}`
  }
  return { action, state: state as StateName, params: params as Record<string, unknown> }
}
