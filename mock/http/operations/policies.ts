// Policies and datasets (admin only).
import { created, noContent, ok, type OperationTable } from '../operation.ts'

export const policyOperations: OperationTable = {
  createPolicy: { adminOnly: true, handle: ({ domain, body }) => created(domain.createPolicy(body)) },
  listPolicies: { adminOnly: true, handle: ({ domain }) => ok({ items: domain.listPolicies() }) },
  getPolicy: { adminOnly: true, handle: ({ domain, params }) => ok(domain.getPolicy(params.id)) },
  replacePolicy: { adminOnly: true, handle: ({ domain, params, body }) => ok(domain.replacePolicy(params.id, body)) },
  deletePolicy: {
    adminOnly: true,
    handle({ domain, params }) {
      domain.deletePolicy(params.id)
      return noContent()
    },
  },
  createDataset: { adminOnly: true, handle: ({ domain, body }) => created(domain.createDataset(body)) },
  listDatasets: { adminOnly: true, handle: ({ domain }) => ok({ items: domain.listDatasets() }) },
  deleteDataset: {
    adminOnly: true,
    handle({ domain, params }) {
      domain.deleteDataset(params.name)
      return noContent()
    },
  },
}
