// Project users (admin only).
import { created, noContent, ok, type OperationTable } from '../operation.ts'

export const userOperations: OperationTable = {
  createUser: { adminOnly: true, handle: async ({ domain, body }) => created(await domain.createUser(body)) },
  listUsers: { adminOnly: true, handle: ({ domain }) => ok({ items: domain.listUsers() }) },
  getUser: { adminOnly: true, handle: ({ domain, params }) => ok(domain.getUser(params.id)) },
  updateUser: { adminOnly: true, handle: async ({ domain, params, body }) => ok(await domain.updateUser(params.id, body)) },
  deleteUser: {
    adminOnly: true,
    handle({ domain, params }) {
      domain.deleteUser(params.id)
      return noContent()
    },
  },
}
