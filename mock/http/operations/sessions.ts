// The caller's own sessions.
import { noContent, ok, type OperationTable } from '../operation.ts'

export const sessionOperations: OperationTable = {
  listSessions: { handle: ({ domain, principal }) => ok({ items: domain.listSessions(principal) }) },
  deleteSession: {
    handle({ domain, principal, params }) {
      domain.endSession(principal, params.id)
      return noContent()
    },
  },
}
