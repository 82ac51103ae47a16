import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { requirementSelection } from './requirement-selection.ts'
import { resolveOptions } from './run-options.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

describe('requirementSelection', () => {
  const { pattern, files } = requirementSelection(['AUTH-006', 'PERM-002'])

  it.each([
    ['AUTH-006 refresh rotates both tokens > AUTH-006 a refresh answers new tokens', true],
    ['AUTH-008 reuse revokes its session > KEY-004 AUTH-006 something', true],
    ['PERM-002 filters combine with AND', true],
    ['AUTH-0061 is another id', false],
    ['XAUTH-006 is not it', false],
    ['AUTH-007 a used refresh token is dead > AUTH-007 presented twice', false],
  ])('%s → %s', (fullName, matches) => {
    expect(pattern.test(fullName)).toBe(matches)
  })

  it('narrows the suite files to those that mention a selected ID', () => {
    const selected = files(ROOT, ['auth', 'permissions'])
    expect(selected.length).toBeGreaterThan(0)
    for (const file of selected) expect(file).toMatch(/^suites\/(auth|permissions)\/.+\.suite\.ts$/)
    expect(selected.some((file) => file.startsWith('suites/auth/'))).toBe(true)
    expect(files(ROOT, ['sessions']).every((file) => file.startsWith('suites/sessions/'))).toBe(true)
  })
})

describe('--requirements', () => {
  const resolve = (flags: Record<string, string>) => resolveOptions({ flags, env: {}, file: {} })

  it('selects known IDs and, without --areas, their areas', () => {
    expect(resolve({ requirements: 'perm-002, AUTH-006' })).toMatchObject({ requirements: ['PERM-002', 'AUTH-006'], areas: ['auth', 'permissions'] })
    expect(resolve({ requirements: 'AUTH-006', areas: 'auth,keys' })).toMatchObject({ areas: ['auth', 'keys'] })
    expect(resolve({}).requirements).toBeUndefined()
  })

  it('refuses unknown IDs in one line', () => {
    expect(() => resolve({ requirements: 'AUTH-006,NOPE-001' })).toThrow("--requirements takes comma-separated requirement IDs such as AUTH-006, not 'AUTH-006,NOPE-001'")
  })
})
