// Requirement IDs in test names: a case's name starts with one or more IDs
// ('KEY-004 AUTH-012 revoking a key kills its refresh tokens'). One parser for the
// runner, the reports and the coverage gate.
export const REQUIREMENT_ID = /^[A-Z]+-\d{3}$/

/** The leading requirement IDs of a test name (empty when it names none). */
export function requirementIds(testName: string): string[] {
  const ids: string[] = []
  for (const word of testName.trim().split(/\s+/)) {
    if (!REQUIREMENT_ID.test(word)) break
    ids.push(word)
  }
  return ids
}

/** The suite file's area and topic: 'suites/auth/refresh.clock.suite.ts' → 'auth/refresh.clock'. */
export function suiteTopic(filePath: string): string {
  const match = /(?:^|\/)suites\/(.+?)\.suite\.ts$/.exec(filePath.replaceAll('\\', '/'))
  return match?.[1] ?? filePath
}

/** A case's stable id: topic + full test name ('auth/refresh:AUTH-008 a reused …'). */
export function caseId(filePath: string, fullName: string): string {
  return `${suiteTopic(filePath)}:${fullName}`
}
