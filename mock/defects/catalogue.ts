/**
 * The defect catalogue: every named defect the mock can switch on, and how a list of names
 * becomes the seams one mock instance runs with.
 */
import { boundaryDefects } from './boundaries.ts'
import type { Defect, DefectHooks } from './defect.ts'
import { permissionDefects } from './permissions.ts'
import { revocationDefects } from './revocation.ts'
import { tokenDefects } from './tokens.ts'
import { wireDefects } from './wire.ts'

export type { Defect, DefectHooks } from './defect.ts'

export const DEFECTS: readonly Defect[] = [
  ...permissionDefects,
  ...tokenDefects,
  ...revocationDefects,
  ...wireDefects,
  ...boundaryDefects,
]

/** A --defect name the catalogue does not have, or two defects that replace the same seam. */
export class DefectError extends Error {
  readonly code = 'unknown_defect'
  override name = 'DefectError'
}

export function findDefect(name: string): Defect {
  const defect = DEFECTS.find((candidate) => candidate.name === name)
  if (!defect) throw new DefectError(`unknown defect '${name}' (authconform mock --list-defects lists them)`)
  return defect
}

/** The merged seams of the named defects; none → no replacement at all. */
export function defectHooks(names: readonly string[]): DefectHooks {
  const domain: Record<string, unknown> = {}
  const http: Record<string, unknown> = {}
  const owner = new Map<string, string>()
  for (const name of new Set(names)) {
    const hooks = findDefect(name).hooks()
    for (const [layer, target, seams] of [['domain', domain, hooks.domain], ['http', http, hooks.http]] as const) {
      for (const [seam, replacement] of Object.entries(seams ?? {})) {
        const other = owner.get(`${layer}.${seam}`)
        // Two replacements of one seam cannot both be active: refuse rather than pick one.
        if (other !== undefined) throw new DefectError(`defects '${other}' and '${name}' both replace the ${layer} seam ${seam}`)
        owner.set(`${layer}.${seam}`, name)
        target[seam] = replacement
      }
    }
  }
  return { domain: domain as DefectHooks['domain'], http: http as DefectHooks['http'] }
}
