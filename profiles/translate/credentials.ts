// The contract's credentials (Authorization: Bearer, ApiKey id:secret, Basic) and how a
// profile's `auth` schemes carry them on the wire, in both directions. A profile without
// `auth` carries them as the contract does.
import type { Profile } from '../profile.ts'
import { valueFormat, type ValueFormat } from '../templates.ts'
import { InexpressibleError } from '../profile-error.ts'
import type { Draft } from './places.ts'

export type ContractCredential =
  | { kind: 'bearer'; token: string }
  | { kind: 'api_key'; id: string; secret: string }
  | { kind: 'basic'; value: string }

type SchemeName = 'bearer' | 'api_key' | 'basic'

interface Scheme {
  name: SchemeName
  header?: string
  query?: string
  format: ValueFormat
}

const compiled = new WeakMap<Profile, Scheme[] | undefined>()

function schemesOf(profile: Profile): Scheme[] | undefined {
  if (!compiled.has(profile)) {
    const auth = profile.document.auth
    compiled.set(
      profile,
      auth &&
        (Object.entries(auth) as [SchemeName, NonNullable<(typeof auth)['bearer']>][]).map(([name, spec]) => ({
          name,
          ...(spec.query !== undefined ? { query: spec.query } : { header: (spec.header ?? 'authorization').toLowerCase() }),
          format: valueFormat(spec.format),
        })),
    )
  }
  return compiled.get(profile)
}

/** The contract credential an Authorization header carries (undefined: none, or a scheme the contract does not know). */
export function readContractCredential(authorization: string | undefined): ContractCredential | undefined {
  const match = /^(\S+)\s+(.+)$/.exec(authorization?.trim() ?? '')
  if (!match) return undefined
  const [, scheme, value] = match as unknown as [string, string, string]
  if (/^bearer$/i.test(scheme)) return { kind: 'bearer', token: value }
  if (/^basic$/i.test(scheme)) return { kind: 'basic', value }
  if (/^apikey$/i.test(scheme)) {
    const colon = value.indexOf(':')
    if (colon > 0) return { kind: 'api_key', id: value.slice(0, colon), secret: value.slice(colon + 1) }
  }
  return undefined
}

export function contractAuthorization(credential: ContractCredential): string {
  if (credential.kind === 'bearer') return `Bearer ${credential.token}`
  if (credential.kind === 'basic') return `Basic ${credential.value}`
  return `ApiKey ${credential.id}:${credential.secret}`
}

/**
 * Puts the contract request's Authorization on the wire draft. A credential of a kind the
 * profile accepts nowhere makes the request inexpressible; an unknown scheme or a malformed
 * header (the cases about bad credentials) travels as it is.
 */
export function credentialToWire(profile: Profile, authorization: string | undefined, wire: Draft): void {
  if (authorization === undefined) return
  const schemes = schemesOf(profile)
  const credential = readContractCredential(authorization)
  if (!schemes || !credential) {
    wire.headers.authorization ??= authorization
    return
  }
  const scheme = schemes.find((candidate) => candidate.name === credential.kind)
  if (!scheme) throw new InexpressibleError(`profile ${profile.name} accepts no ${SCHEME_WORDS[credential.kind]} on its wire`)
  const value = scheme.format.write(
    credential.kind === 'bearer' ? { token: credential.token }
    : credential.kind === 'basic' ? { credentials: credential.value }
    // A key string handed out as <id>.<secret> goes whole where the format has no {id}, split where it has.
    : { id: credential.id, secret: scheme.format.names.includes('id') ? credential.secret.replace(`${credential.id}.`, '') : credential.secret },
  )
  if (scheme.query) wire.query[scheme.query] ??= value
  else wire.headers[scheme.header!] ??= value
}

/**
 * The contract's Authorization for a wire request, from the first scheme that reads it.
 * A key format without {id} carries `<id>.<secret>` as its secret (see wireKeySecret).
 * Returns the header it came from, so that it is not also passed on as a plain header.
 */
export function credentialFromWire(profile: Profile, wire: Draft, consumed: ReadonlySet<string>): { authorization: string; from: string } | undefined {
  const schemes = schemesOf(profile)
  if (!schemes) {
    const authorization = wire.headers.authorization
    return authorization !== undefined && !consumed.has('header:authorization') ? { authorization, from: 'header:authorization' } : undefined
  }
  for (const scheme of schemes) {
    const from = scheme.query ? `query:${scheme.query}` : `header:${scheme.header}`
    if (consumed.has(from)) continue
    const raw = scheme.query ? wire.query[scheme.query] : wire.headers[scheme.header!]
    const values = raw === undefined ? undefined : scheme.format.read(raw)
    if (!values) continue
    if (scheme.name === 'bearer') return { authorization: `Bearer ${values.token}`, from }
    if (scheme.name === 'basic') return { authorization: `Basic ${values.credentials}`, from }
    const { id, secret } = values.id !== undefined ? { id: values.id, secret: values.secret ?? '' } : splitKeySecret(values.secret ?? '')
    return { authorization: `ApiKey ${id}:${secret}`, from }
  }
  // Not a scheme of the profile: the contract answers it as the unknown credential it is.
  const authorization = wire.headers.authorization
  return authorization !== undefined && !consumed.has('header:authorization') ? { authorization, from: 'header:authorization' } : undefined
}

/** The key string the mock hands out under a profile whose system knows a key by one string: `<id>.<secret>`. */
export function wireKeySecret(profile: Profile, id: string, secret: string): string {
  return profile.keyStrings ? `${id}.${secret}` : secret
}

function splitKeySecret(value: string): { id: string; secret: string } {
  const dot = value.indexOf('.')
  return dot < 0 ? { id: value, secret: '' } : { id: value.slice(0, dot), secret: value.slice(dot + 1) }
}

const SCHEME_WORDS: Record<SchemeName, string> = {
  bearer: 'access tokens (Bearer)',
  api_key: 'API keys used directly (ApiKey)',
  basic: 'HTTP Basic credentials',
}
