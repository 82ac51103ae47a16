// The caller's effective policies, and the evaluator (admin only).
import { ok, type OperationTable } from '../operation.ts'

export const permissionOperations: OperationTable = {
  getMyPermissions: { handle: ({ domain, principal }) => ok(domain.permissionsMe(principal)) },
  checkPermission: { adminOnly: true, handle: ({ domain, body }) => ok(domain.checkPermission(body)) },
}
