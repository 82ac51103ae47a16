// Protected data: policy-checked by the domain. The `data` rate limit is counted by the
// route layer before these run (every operation that declares a 429 for a signed-in caller).
import { created, noContent, ok, type OperationTable } from '../operation.ts'

export const recordOperations: OperationTable = {
  listRecords: {
    handle: ({ domain, principal, params, query }) =>
      ok(domain.listRecords({ principal, dataset: params.name, limit: query.limit, cursor: query.cursor })),
  },
  createRecord: {
    handle: ({ domain, principal, params, body }) => created(domain.createRecord({ principal, dataset: params.name, fields: body })),
  },
  getRecord: {
    handle: ({ domain, principal, params }) => ok(domain.getRecord({ principal, dataset: params.name, id: params.id })),
  },
  updateRecord: {
    handle: ({ domain, principal, params, body }) =>
      ok(domain.patchRecord({ principal, dataset: params.name, id: params.id, patch: body })),
  },
  deleteRecord: {
    handle({ domain, principal, params }) {
      domain.deleteRecord({ principal, dataset: params.name, id: params.id })
      return noContent()
    },
  },
}
