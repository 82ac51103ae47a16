import { describe, expect, it } from 'vitest'
import { requirementById } from '../../openapi/contract.ts'
import { defaultSeams } from '../domain/seams.ts'
import { defaultHttpSeams } from '../http/http-seams.ts'
import { DEFECTS, DefectError, defectHooks, findDefect } from './catalogue.ts'

describe('the defect catalogue', () => {
  it('has at least 25 defects with unique kebab-case names', () => {
    expect(DEFECTS.length).toBeGreaterThanOrEqual(25)
    const names = DEFECTS.map((defect) => defect.name)
    expect(new Set(names).size).toBe(names.length)
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  })

  describe.each(DEFECTS.map((defect) => [defect.name, defect] as const))('%s', (_name, defect) => {
    it('has a one-line description', () => {
      expect(defect.description.trim()).not.toBe('')
      expect(defect.description).not.toMatch(/\n/)
    })

    it('declares known requirements, at least one of them a MUST', () => {
      expect(defect.requirements.length).toBeGreaterThan(0)
      const levels = defect.requirements.map((id) => requirementById(id).level)
      expect(levels).toContain('MUST')
    })

    it('replaces existing seams only, with something else than the default', () => {
      const { domain = {}, http = {} } = defect.hooks()
      const replaced = [
        ...Object.entries(domain).map(([seam, value]) => [seam, value, defaultSeams] as const),
        ...Object.entries(http).map(([seam, value]) => [seam, value, defaultHttpSeams] as const),
      ]
      expect(replaced.length).toBeGreaterThan(0)
      for (const [seam, value, defaults] of replaced) {
        expect(Object.keys(defaults)).toContain(seam)
        expect(typeof value).toBe(typeof defaults[seam as keyof typeof defaults])
        expect(value).not.toBe(defaults[seam as keyof typeof defaults])
      }
    })
  })
})

describe('defectHooks', () => {
  it('replaces nothing without defects', () => {
    expect(defectHooks([])).toEqual({ domain: {}, http: {} })
  })

  it('merges defects of different seams and ignores repeated names', () => {
    const hooks = defectHooks(['filters-or', 'www-authenticate-missing', 'filters-or'])
    expect(Object.keys(hooks.domain ?? {})).toEqual(['combineFilters'])
    expect(Object.keys(hooks.http ?? {})).toEqual(['challenge'])
  })

  it('refuses two defects that replace the same seam', () => {
    expect(() => defectHooks(['refresh-not-rotated', 'refresh-reuse-accepted'])).toThrow(DefectError)
    expect(() => defectHooks(['refresh-not-rotated', 'refresh-reuse-accepted'])).toThrow(/both replace the domain seam rotateRefresh/)
  })

  it('refuses unknown names with a pointer to --list-defects', () => {
    expect(() => findDefect('no-such-defect')).toThrow(DefectError)
    expect(() => defectHooks(['no-such-defect'])).toThrow(/unknown defect 'no-such-defect'.*--list-defects/)
  })

  it('gives stateful defects fresh state per instance', () => {
    const defect = findDefect('policy-changes-cached')
    expect(defect.hooks().domain?.effectivePolicies).not.toBe(defect.hooks().domain?.effectivePolicies)
  })
})
