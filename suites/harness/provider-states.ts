// Set-up without an admin API (profiles/provider-states.ts): under a profile that leaves
// an admin operation unmapped, `given.*` asks the run's provider-states endpoint for the
// subject instead, and tears it down at the end of the file. Without an endpoint the case
// is not applicable, with that reason.
import { PROVIDER_STATES, type StateName } from '../../profiles/provider-states.ts'
import { onCleanup } from './given.ts'
import { send } from './http.ts'
import { notApplicableUnderProfile, runProfile } from './profile-hook.ts'
import { SetupError } from './errors.ts'
import { targetConfig } from './target.ts'

/** True when the run's profile leaves this admin operation unmapped: its subjects come from provider states. */
export function providedByState(operationId: string): boolean {
  const profile = runProfile()?.profile
  return profile !== undefined && profile.route(operationId).kind === 'unmapped'
}

/** Sets `state` up on the target (removed at the end of the file); answers what the endpoint answered. */
export async function provideState<T>(state: StateName, params: Record<string, unknown>): Promise<T> {
  const { profile } = runProfile()!
  if (state === 'a policy' && profile.semantics.permissions === 'roles') {
    notApplicableUnderProfile(`profile ${profile.name} decides access by roles (semantics permissions: roles): there are no policies to set up`)
  }
  const url = targetConfig().profile?.setupUrl
  const spec = PROVIDER_STATES[state]
  if (!url) {
    const route = spec.creates ? profile.route(spec.creates) : undefined
    const lacks = route?.kind === 'unmapped' ? `profile ${profile.name} lacks ${spec.creates} (${route.reason})` : `profile ${profile.name} gives no admin key`
    notApplicableUnderProfile(`${lacks} and the run has no provider-states endpoint (--setup-url) for '${state}'`)
  }
  // Under roles, the grant the profile asks for with every key and user.
  const grant = profile.semantics.permissions === 'roles' && (state === 'a key' || state === 'a user') ? profile.document.setup?.grant : undefined
  const response = await stateRequest(url, { action: 'setup', state, params: grant ? { grant, ...params } : params })
  if (response.status !== 200 && response.status !== 201) {
    throw new SetupError(`provider state '${state}': the set-up endpoint answered ${response.status} ${response.text.slice(0, 300)}`)
  }
  const created = response.body as Record<string, unknown>
  if (spec.by) {
    const by = spec.by
    onCleanup(async () => {
      const removed = await stateRequest(url, { action: 'teardown', state, params: { [by]: created[by] } })
      if (removed.status !== 204 && removed.status !== 200 && removed.status !== 404) throw new Error(`teardown of '${state}' ${String(created[by])} answered ${removed.status}`)
    })
  }
  return created as T
}

function stateRequest(url: string, body: unknown) {
  // The set-up protocol is authconform's own, on no wire of the profile: sent as it is, unchecked.
  return send({ method: 'POST', path: url, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), unchecked: true, asIs: true })
}
