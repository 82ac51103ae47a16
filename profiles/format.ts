/**
 * The profile format's types under their own names: generated from profiles/profile.schema.json
 * (profiles/generated/profile.d.ts), never restated. profiles/README.md describes the format.
 */
import type { components } from './generated/profile.d.ts'

type Defs = components['schemas']

export type ProfileDocument = Defs['Profile']
export type Semantics = Defs['semantics']
export type TokenFacts = Defs['tokens']
export type RateLimitFact = Defs['rateLimit']
export type AuthSchemes = Defs['auth']
export type AuthScheme = Defs['scheme']
export type ErrorEnvelope = Defs['errors']
export type ErrorCodeEntry = Defs['errorCode']
export type OperationEntry = Defs['operationEntry']
export type WireOperation = Defs['operation']
export type RequestMapping = Defs['request']
export type ResponseMapping = Defs['response']
export type Composition = Defs['composition']
export type SetupFacts = Defs['setup']
export type FieldMap = Defs['fieldMap']
export type Constants = Defs['constants']
export type Source = Defs['source']
/** '/a/b' body pointer, '{name}' path parameter, '?name' query parameter, 'header:Name', 'basic:username|password'. */
export type Location = Defs['location']

/** Every semantic option with its values; the first value is the contract's (the default). */
export const SEMANTIC_OPTIONS = {
  refresh: ['rotate', 'access_only', 'none'],
  key_secret: ['required', 'none'],
  token_lifetime: ['ttl', 'key_expiry'],
  permissions: ['policies', 'roles'],
} as const satisfies { [Option in keyof Semantics]-?: readonly NonNullable<Semantics[Option]>[] }

export type SemanticOption = keyof typeof SEMANTIC_OPTIONS
export type ResolvedSemantics = { [Option in SemanticOption]: (typeof SEMANTIC_OPTIONS)[Option][number] }

/** The contract's own behaviour: every option at its first value. */
export const CONTRACT_SEMANTICS = Object.fromEntries(
  Object.entries(SEMANTIC_OPTIONS).map(([option, values]) => [option, values[0]]),
) as ResolvedSemantics
