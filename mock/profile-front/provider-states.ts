// The provider-states endpoint the mock serves under a profile that names one
// (profiles/provider-states.ts): each setup is the contract's admin operation, answered by
// the contract app with the admin key (so the contract validates the parameters), and a
// teardown its delete. Under `permissions: roles` a key or user gets the role grant of
// params.grant (the domain's setRoleGrant). Errors are the contract's problem details: the protocol is authconform's.
import type { Profile } from '../../profiles/profile.ts'
import { PROVIDER_STATES, readStateRequest, type StateRequest } from '../../profiles/provider-states.ts'
import { contractOperation } from '../../profiles/contract-operations.ts'
import { wireKeySecret } from '../../profiles/translate/credentials.ts'
import type { HttpAnswer, HttpRequest } from '../../profiles/translate/message.ts'
import { problemOf, PROBLEM_CONTENT_TYPE } from '../http/problem.ts'
import type { Domain } from '../domain/types.ts'
import { checkRoleGrant } from '../domain/roles.ts'

export interface ProviderStateContext {
  profile: Profile
  /** Answers a contract request in-process. */
  contract(request: HttpRequest): Promise<HttpAnswer>
  admin(): { id: string; secret: string }
  domain(): Domain
}

export async function answerProviderState(context: ProviderStateContext, request: HttpRequest): Promise<HttpAnswer> {
  if (request.method !== 'POST') return problem('not_found', `The provider-states endpoint takes POST only.`)
  const state = request.body.kind === 'json' ? readStateRequest(request.body.value) : 'the body must be JSON'
  if (typeof state === 'string') return problem('invalid_request', `Not a provider-state request: ${state}.`)
  const admin = context.admin()
  if (state.state === 'an admin key') return json(200, { id: admin.id, secret: wireKeySecret(context.profile, admin.id, admin.secret) })
  return state.action === 'setup' ? setUp(context, state, admin) : tearDown(context, state, admin)
}

async function setUp(context: ProviderStateContext, state: StateRequest, admin: { id: string; secret: string }): Promise<HttpAnswer> {
  const spec = PROVIDER_STATES[state.state]
  const { grant, ...params } = state.params
  const subject = state.state === 'a key' ? 'api_key' : state.state === 'a user' ? 'user' : undefined
  let roleGrant: ReturnType<typeof checkRoleGrant> | undefined
  if (grant !== undefined) {
    if (!subject) return problem('invalid_request', `Not a provider-state request: '${state.state}' takes no grant.`)
    try {
      roleGrant = checkRoleGrant(grant)
    } catch (error) {
      return problem('invalid_request', `Not a provider-state request: params.grant: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  const operation = contractOperation(spec.creates!)
  const answer = await context.contract(adminRequest(admin, 'POST', operation.path, params))
  if (answer.status !== operation.successStatus || answer.body.kind !== 'json') return answer
  const created = answer.body.value as Record<string, unknown>
  if (roleGrant && subject) context.domain().setRoleGrant({ type: subject, id: String(created.id) }, roleGrant)
  if (state.state === 'a key') {
    // A system without a token exchange hands a key out with its token (the datasets platform's private tokens).
    if (context.profile.route('exchangeToken').kind === 'unmapped') {
      const exchange = await context.contract(jsonRequest('POST', contractOperation('exchangeToken').path, { api_key: created.id, api_secret: created.secret }))
      if (exchange.status === 200 && exchange.body.kind === 'json') created.tokens = exchange.body.value
    }
    created.secret = wireKeySecret(context.profile, String(created.id), String(created.secret))
  }
  return json(201, created)
}

async function tearDown(context: ProviderStateContext, state: StateRequest, admin: { id: string; secret: string }): Promise<HttpAnswer> {
  const spec = PROVIDER_STATES[state.state]
  const operation = contractOperation(spec.removes!)
  const path = operation.template.fill({ [spec.by!]: String(state.params[spec.by!]) })
  const answer = await context.contract(adminRequest(admin, 'DELETE', path))
  return answer.status === 204 ? { status: 204, headers: {}, body: { kind: 'none' } } : answer
}

function adminRequest(admin: { id: string; secret: string }, method: string, path: string, body?: Record<string, unknown>): HttpRequest {
  const request = jsonRequest(method, path, body)
  request.headers.authorization = `ApiKey ${admin.id}:${admin.secret}`
  return request
}

function jsonRequest(method: string, path: string, body?: Record<string, unknown>): HttpRequest {
  return {
    method,
    path,
    query: {},
    headers: { accept: 'application/json', ...(body && { 'content-type': 'application/json' }) },
    body: body ? { kind: 'json', value: body as never } : { kind: 'none' },
  }
}

function json(status: number, value: unknown): HttpAnswer {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: { kind: 'json', value: value as never } }
}

function problem(code: 'invalid_request' | 'not_found', detail: string): HttpAnswer {
  const body = problemOf(code, detail)
  return { status: body.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE }, body: { kind: 'json', value: { ...body } as never } }
}
