// Discovery and JWKS: public, straight from the domain.
import { ok, type OperationTable } from '../operation.ts'

export const discoveryOperations: OperationTable = {
  getAuthConfiguration: { handle: ({ domain }) => ok(domain.discovery()) },
  getJwks: { handle: ({ domain }) => ok(domain.jwks()) },
}
