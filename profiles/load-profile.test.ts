import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { builtInProfiles, loadProfile } from './load-profile.ts'
import { ProfileError, UnknownProfileError } from './profile-error.ts'

const dir = mkdtempSync(join(tmpdir(), 'authconform-profile-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

writeFileSync(join(dir, 'openapi.yaml'), 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\ncomponents: {schemas: {Error: {type: object}}}\n')

const BASE = `profile: mine
title: Mine
source: our docs
openapi: openapi.yaml
unlisted: contract
errors:
  content_type: application/json
  codes:
    - { code: not_found, status: 404 }
`

function write(name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

describe('built-in profiles', () => {
  it.each(builtInProfiles().map((name) => [name]))('%s loads with its own OpenAPI document', (name) => {
    const profile = loadProfile(name)
    expect(profile.name).toBe(name)
    expect(typeof profile.openapi.paths).toBe('object')
  })

  it('include the identity profile and machinable', () => {
    expect(builtInProfiles()).toEqual(expect.arrayContaining(['authconform', 'machinable']))
  })
})

describe('a profile file', () => {
  it('loads when valid (the rejections below are not vacuous)', () => {
    expect(loadProfile(write('valid.yaml', BASE)).name).toBe('mine')
  })

  it.each([
    ['an unknown key', `${BASE}colour: blue\n`, /valid-1\.yaml:10: \/colour: is not a property the format knows here/],
    ['a bad call', `${BASE}operations:\n  signIn: { call: 'SIGN /in' }\n`, /:11: \/operations\/signIn\/call: must match pattern/],
    ['an unknown operation', `${BASE}operations:\n  logIn: { call: 'POST /in' }\n`, /:11: \/operations\/logIn: 'logIn' is no operation of the contract/],
    ['an unfillable path parameter', `${BASE}operations:\n  getKey: { call: 'GET /keys/{key}' }\n`, /\/operations\/getKey\/call: the path parameter \{key\} is filled by nothing/],
    ['an unknown semantic value', `${BASE}semantics: { refresh: sometimes }\n`, /\/semantics\/refresh: must be equal to one of the allowed values \(rotate, access_only, none\)/],
    ['a bad location', `${BASE}operations:\n  signIn:\n    call: POST /in\n    request: { fields: { /email: 'cookie:x' } }\n`, /\/operations\/signIn\/request\/fields\/~1email: /],
    ['an unknown problem code', `${BASE.replace('not_found', 'gone')}`, /\/errors\/codes\/0\/code: must be equal to one of the allowed values/],
    ['no lifetimes without discovery', `${BASE}operations:\n  getAuthConfiguration: { unmapped: none }\n`, /: \/tokens: without getAuthConfiguration the access token lifetime must be stated/],
    ['a missing OpenAPI document', BASE.replace('openapi.yaml', 'nowhere.yaml'), /:4: \/openapi: nowhere\.yaml does not exist/],
    ['broken YAML', `${BASE}operations: [\n`, /: \/: not valid YAML/],
    ['header and query together', `${BASE}auth: { bearer: { header: X-Token, query: token, format: '{token}' } }\n`, /\/auth\/bearer: takes a header or a query parameter, not both/],
  ])('with %s is refused in one line naming the place', (name, text, expected) => {
    const file = write(`valid-${1}.yaml`, text)
    let error: unknown
    try {
      loadProfile(file)
    } catch (caught) {
      error = caught
    }
    expect(error, name).toBeInstanceOf(ProfileError)
    const message = (error as Error).message
    expect(message).not.toContain('\n')
    expect(message).toMatch(expected)
  })

  it('an unknown name lists the built-in profiles', () => {
    expect(() => loadProfile('nosuch')).toThrow(UnknownProfileError)
    expect(() => loadProfile('nosuch')).toThrow(/built-in: .*machinable/)
  })
})
