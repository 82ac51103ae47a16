// Protected data: policy-checked by the domain. The `data` rate limit is counted by the
// route layer before these run (every operation that declares a 429 for a signed-in caller).
// Lists and reads answer pre-serialized JSON (records-json.ts): the hot path of data requests;
// a list page the domain keeps answers its kept bytes.
import { created, noContent, ok, type OperationTable } from '../operation.ts'
import { JSON_CONTENT_TYPE, pageBodies, recordJson } from './records-json.ts'

export const recordOperations: OperationTable = {
  listRecords: {
    handle: ({ domain, principal, params, query }) =>
      ok(pageBodies.body(domain.listRecords({ principal, dataset: params.name, limit: query.limit, cursor: query.cursor })), JSON_CONTENT_TYPE),
  },
  createRecord: {
    handle: ({ domain, principal, params, body }) => created(domain.createRecord({ principal, dataset: params.name, fields: body })),
  },
  getRecord: {
    handle: ({ domain, principal, params }) => ok(recordJson(domain.getRecord({ principal, dataset: params.name, id: params.id })), JSON_CONTENT_TYPE),
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
