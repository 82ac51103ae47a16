// API key management (admin only). Answers with a secret get Cache-Control: no-store
// from the route layer, because the contract declares that header on them.
import { created, noContent, ok, type OperationTable } from '../operation.ts'

export const keyOperations: OperationTable = {
  createKey: { adminOnly: true, handle: ({ domain, body }) => created(domain.createKey(body)) },
  listKeys: { adminOnly: true, handle: ({ domain }) => ok({ items: domain.listKeys() }) },
  getKey: { adminOnly: true, handle: ({ domain, params }) => ok(domain.getKey(params.id)) },
  deleteKey: {
    adminOnly: true,
    handle({ domain, params }) {
      domain.revokeKey(params.id)
      return noContent()
    },
  },
  rotateKey: { adminOnly: true, handle: ({ domain, params }) => ok(domain.rotateKey(params.id)) },
}
