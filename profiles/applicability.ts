// Which requirements apply under a profile: a requirement's `assumes` (openapi/requirements.yaml)
// names the values of profile facts it takes for granted — the semantic options and what
// a client can read in an access token — and under a profile with another value it is not
// applicable, with the reason generated from the field.
import type { Requirement } from '../openapi/contract.ts'
import { SEMANTIC_OPTIONS } from './format.ts'
import type { Profile } from './profile.ts'

/** Every fact `assumes` may name, with its values (the contract's first). */
export const PROFILE_FACTS = {
  ...SEMANTIC_OPTIONS,
  /** contract: a JWT with the contract's claims; own: a JWT with claims of the system's own; opaque: nothing to read. */
  access_claims: ['contract', 'own', 'opaque'],
  /** declared: a discovery document (or the profile) states the enforced rate limits; none: nothing is declared. */
  rate_limits: ['declared', 'none'],
  /** json: bodies only as application/json (other media types 415); any: JSON under any media type. */
  request_media: ['json', 'any'],
  /** settable: a key can be given an expiry (expires_at); none: the system's keys have none. */
  key_expiry: ['settable', 'none'],
  /** served: the target serves the discovery document; none: verify works from the profile's facts instead. */
  discovery: ['served', 'none'],
  /**
   * answered: every token answer carries its lifetimes (expires_in, refresh_expires_in) from
   * the wire; not_answered: some are the profile's declared lifetimes ({lifetime}) or not
   * there at all, which say nothing about a token whose key expires sooner.
   */
  token_lifetimes: ['answered', 'not_answered'],
  /** cursor: a record list pages by next_cursor (the contract); none: the system's list answers every record it selects (request.query). */
  paging: ['cursor', 'none'],
} as const

export type ProfileFact = keyof typeof PROFILE_FACTS

export function profileFacts(profile: Profile): Record<ProfileFact, string> {
  const access = profile.document.tokens?.access
  return {
    ...profile.semantics,
    access_claims: access?.format === 'opaque' ? 'opaque' : (access?.claims ?? 'contract'),
    rate_limits: profile.route('getAuthConfiguration').kind !== 'unmapped' || (profile.document.rate_limits ?? []).length > 0 ? 'declared' : 'none',
    request_media: profile.document.request_media ?? 'json',
    key_expiry: profile.document.key_expiry ?? 'settable',
    discovery: profile.route('getAuthConfiguration').kind === 'unmapped' ? 'none' : 'served',
    token_lifetimes: lifetimesAnswered(profile) ? 'answered' : 'not_answered',
    paging: listsEverything(profile) ? 'none' : 'cursor',
  }
}

const TOKEN_ANSWERS = ['exchangeToken', 'signIn', 'refreshToken']
const LIFETIMES = ['/expires_in', '/refresh_expires_in']

/** Whether every token answer the profile maps reads both lifetimes from the wire (the contract's own calls do). */
function lifetimesAnswered(profile: Profile): boolean {
  return TOKEN_ANSWERS.every((operationId) => {
    const route = profile.route(operationId)
    if (route.kind !== 'wire') return true
    const { fields, carry } = route.call.response
    return LIFETIMES.every((pointer) => {
      const rule = fields.find((field) => field.contract.kind === 'body' && field.contract.pointer === pointer)
      // An unlisted field comes under its own name when the answer carries unlisted fields.
      return rule ? rule.source.kind === 'place' : carry
    })
  })
}

export type Assumptions = Partial<Record<ProfileFact, readonly string[]>>

/** Why the profile does not meet the assumptions (undefined: it meets them all). */
export function unmetBy(profile: Profile, assumes: Assumptions): string | undefined {
  const facts = profileFacts(profile)
  const reasons = Object.entries(assumes).flatMap(([fact, values]) => {
    const actual = facts[fact as ProfileFact]
    return values.includes(actual) ? [] : [`assumes ${fact} ${values.join(' or ')}; profile ${profile.name} has ${fact} ${actual}`]
  })
  return reasons.length > 0 ? reasons.join('; ') : undefined
}

function listsEverything(profile: Profile): boolean {
  const route = profile.route('listRecords')
  return route.kind === 'wire' && route.call.request.query !== undefined
}

/** Per requirement id, why it is not applicable under the profile (only those that are not). */
export function unmetAssumptions(profile: Profile, requirements: readonly Requirement[]): Record<string, string> {
  const unmet: Record<string, string> = {}
  for (const requirement of requirements) {
    const reason = unmetBy(profile, (requirement.assumes ?? {}) as Assumptions)
    if (reason) unmet[requirement.id] = reason
  }
  return unmet
}
