/**
 * A defect: a realistic bug an implementer could make, switched on by name in the mock
 * (`authconform mock --defect NAME`) to prove that the suites notice it. A defect replaces
 * named seams only — of the domain (mock/domain/seams.ts) or of the HTTP layer
 * (mock/http/http-seams.ts) — so the correct path stays the one and only code path.
 */
import type { Seams } from '../domain/seams.ts'
import type { HttpSeams } from '../http/http-seams.ts'

export interface DefectHooks {
  domain?: Partial<Seams>
  http?: Partial<HttpSeams>
}

export interface Defect {
  /** Stable kebab-case name, the value of --defect. */
  name: string
  /** One line: what the implementation gets wrong. */
  description: string
  /** Requirement IDs whose cases must fail while the defect is active. */
  requirements: readonly string[]
  /** The replaced seams for one mock instance (a function: some defects keep state). */
  hooks: () => DefectHooks
}

/** The seams that do nothing where the correct implementation acts. */
export const skip = (): void => undefined
