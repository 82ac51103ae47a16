import { describe, expect, it } from 'vitest'
import { requirements } from '../../openapi/contract.ts'
import { builtInProfiles } from '../load-profile.ts'
import { profileNamed } from '../profile.ts'
import { renderProfilesPage, unmappedRequirements } from './profiles-page.ts'

describe('the profiles page', () => {
  const page = renderProfilesPage(['machinable', 'authconform'])

  it('shows each profile\'s contract operations with their wire calls, or why they have none', () => {
    expect(page).toContain('<td><code>signIn</code></td><td><code>POST /sessions/</code>')
    expect(page).toContain('<td><code>refreshToken</code></td><td><code>POST /sessions/refresh/</code>')
    expect(page).toContain('<td><code>exchangeToken</code></td><td><span class="unmapped">not mapped</span> — API keys are used directly')
    expect(page).toContain("<code>POST /v1/auth/token</code> <span class=\"muted\">(the contract's own)</span>")
    expect(page).not.toContain('getClock')
  })

  it('lists the requirements a profile leaves not applicable, and why', () => {
    expect(page).toContain('<a href="requirements.html#AUTH-006">AUTH-006</a> Refresh rotates both tokens</td><td>assumes refresh rotate; profile machinable has refresh access_only')
    expect(page).toMatch(/<a href="requirements.html#KEY-003">KEY-003<\/a>[^<]*<\/td><td>the profile maps none of its operations \(<code>exchangeToken<\/code>, <code>getKey<\/code>, <code>deleteKey<\/code>\)/)
    expect(page).toContain('Not applicable under authconform: 0 requirements')
  })

  it('has a section for every built-in profile', () => {
    const all = renderProfilesPage()
    expect(builtInProfiles()).toEqual(expect.arrayContaining(['authconform', 'machinable', 'jexia', 'datasets', 'ekodb', 'dxtra']))
    for (const name of builtInProfiles()) expect(all).toContain(`<code>--profile ${name}</code></small></h2>`)
  })

  it('counts a requirement unmapped only when the profile maps none of its operations', () => {
    const unmapped = unmappedRequirements(profileNamed('machinable'), requirements)
    expect(unmapped.has('KEY-003')).toBe(true)
    expect(unmapped.has('SESS-002')).toBe(false)
  })
})
