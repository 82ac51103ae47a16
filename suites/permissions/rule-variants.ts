// Which rule decided a disagreement with the reference evaluator. For every rule of the
// catalogue the reference applies, the ways an implementation typically gets exactly that
// rule wrong — a variant of the reference rules. A disagreement is credited to the
// requirements of the variants that reproduce the target's answer and, among those, agree
// best with everything else the target answered in the scenario (a listing that ignores
// the filters is PERM-007, not "filters ignored everywhere", when single reads honour
// them); when no variant reproduces it, to the requirement of what was compared (a
// listing, a read, a check, a write).
import { CONTRACT_RULES, type Operator, type Rules } from './reference-evaluator.ts'

export interface RuleVariant {
  requirement: string
  /** What the variant gets wrong, in a few words. */
  wrong: string
  rules: Partial<Rules>
}

const swapped = (from: Operator, to: Operator) => (op: Operator) => (op === from ? to : op)
const MIRROR: Record<Operator, Operator> = { eq: 'eq', ne: 'ne', gt: 'lt', gte: 'lte', lt: 'gt', lte: 'gte' }

export const RULE_VARIANTS: readonly RuleVariant[] = [
  { requirement: 'PERM-001', wrong: "policies AND'd", rules: { combinePolicies: (admits) => admits.length > 0 && admits.every(Boolean) } },
  { requirement: 'PERM-002', wrong: "filters OR'd", rules: { combineFilters: (holds) => holds.length === 0 || holds.some(Boolean) } },
  { requirement: 'PERM-002', wrong: 'filters ignored', rules: { combineFilters: () => true } },
  { requirement: 'PERM-003', wrong: 'the owner filter always holds', rules: { ownerHolds: () => true } },
  { requirement: 'PERM-003', wrong: 'the owner filter never holds', rules: { ownerHolds: () => false } },
  { requirement: 'PERM-004', wrong: 'namespace subjects ignored', rules: { namespaceApplies: () => false } },
  { requirement: 'PERM-004', wrong: 'a namespace subject applies to every user', rules: { namespaceApplies: (_, caller) => caller.type === 'user' } },
  { requirement: 'PERM-005', wrong: 'a condition on a missing field holds', rules: { missingFieldHolds: () => true } },
  { requirement: 'PERM-005', wrong: 'ne on a missing field holds', rules: { missingFieldHolds: (op) => op === 'ne' } },
  { requirement: 'PERM-005', wrong: 'values of different JSON types are coerced', rules: { coercesTypes: true } },
  { requirement: 'PERM-006', wrong: 'gt taken as gte', rules: { operator: swapped('gt', 'gte') } },
  { requirement: 'PERM-006', wrong: 'gte taken as gt', rules: { operator: swapped('gte', 'gt') } },
  { requirement: 'PERM-006', wrong: 'lt taken as lte', rules: { operator: swapped('lt', 'lte') } },
  { requirement: 'PERM-006', wrong: 'lte taken as lt', rules: { operator: swapped('lte', 'lt') } },
  { requirement: 'PERM-006', wrong: 'comparisons mirrored', rules: { operator: (op) => MIRROR[op] } },
  { requirement: 'PERM-007', wrong: 'listing ignores the filters', rules: { listFilters: false } },
  { requirement: 'PERM-008', wrong: 'create does not check the new record', rules: { createChecksRecord: false } },
  { requirement: 'PERM-009', wrong: 'update does not check the stored record', rules: { updateChecksStored: false } },
  { requirement: 'PERM-009', wrong: 'update does not check the result', rules: { updateChecksResult: false } },
  { requirement: 'PERM-010', wrong: 'update grants delete', rules: { actionGranted: (actions, action) => actions.includes(action) || (action === 'delete' && actions.includes('update')) } },
  { requirement: 'PERM-010', wrong: 'any write action grants every write action', rules: { actionGranted: (actions, action) => actions.includes(action) || (action !== 'read' && actions.some((named) => named !== 'read')) } },
  { requirement: 'PERM-011', wrong: '403 and 404 swapped', rules: { refusal: (canRead) => (canRead ? 404 : 403) } },
  { requirement: 'PERM-011', wrong: 'every refusal 403', rules: { refusal: () => 403 } },
  { requirement: 'PERM-011', wrong: 'every refusal 404', rules: { refusal: () => 404 } },
  { requirement: 'PERM-011', wrong: 'an update refused for its result is 403 whoever can read it', rules: { resultRefusalHides: false } },
  { requirement: 'PERM-015', wrong: 'matched_policies ignores the filters', rules: { matchedByFilters: false } },
  { requirement: 'PERM-017', wrong: 'delete does not check the stored record', rules: { deleteChecksRecord: false } },
]

/** A comparison of the target with the reference: how to compute the expected answer under some rules. */
export interface Comparison {
  what: string
  actual: unknown
  expected: (rules: Rules) => unknown
  /** The requirement of what was compared, credited when no variant explains a disagreement. */
  requirement: string
}

export interface Disagreement {
  what: string
  actual: unknown
  expected: unknown
  /** The requirements credited with it, and the variants that explain it. */
  requirements: string[]
  explainedBy: string[]
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** The scenario's disagreements, each credited to the rules that decided it. */
export function disagreements(comparisons: readonly Comparison[]): Disagreement[] {
  const contract = comparisons.map((comparison) => comparison.expected(CONTRACT_RULES))
  const disagreeing = comparisons.map((comparison, index) => !same(comparison.actual, contract[index]))
  if (!disagreeing.includes(true)) return []
  // What each variant predicts for every comparison, and how many of the target's answers it reproduces.
  const predictions = RULE_VARIANTS.map((variant) => {
    const rules = { ...CONTRACT_RULES, ...variant.rules }
    const reproduced = comparisons.map((comparison) => same(comparison.actual, comparison.expected(rules)))
    return { variant, reproduced, agreement: reproduced.filter(Boolean).length }
  })
  return comparisons.flatMap((comparison, index) => {
    if (!disagreeing[index]) return []
    const explaining = predictions.filter((prediction) => prediction.reproduced[index])
    const best = Math.max(...explaining.map((prediction) => prediction.agreement))
    const chosen = explaining.filter((prediction) => prediction.agreement === best).map((prediction) => prediction.variant)
    return [{
      what: comparison.what,
      actual: comparison.actual,
      expected: contract[index],
      requirements: chosen.length > 0 ? [...new Set(chosen.map((variant) => variant.requirement))] : [comparison.requirement],
      explainedBy: chosen.map((variant) => `${variant.requirement} ${variant.wrong}`),
    }]
  })
}
