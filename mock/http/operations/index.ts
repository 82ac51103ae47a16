// Every contract operation the mock implements, by operationId.
import type { OperationTable } from '../operation.ts'
import { authOperations } from './auth.ts'
import { discoveryOperations } from './discovery.ts'
import { keyOperations } from './keys.ts'
import { permissionOperations } from './permissions.ts'
import { policyOperations } from './policies.ts'
import { recordOperations } from './records.ts'
import { sessionOperations } from './sessions.ts'
import { userOperations } from './users.ts'

export const apiOperations: OperationTable = {
  ...discoveryOperations,
  ...authOperations,
  ...sessionOperations,
  ...userOperations,
  ...keyOperations,
  ...policyOperations,
  ...recordOperations,
  ...permissionOperations,
}
