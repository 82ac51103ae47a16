// Discovery and JWKS: public, straight from the domain's configuration (and signing key).
import { ok, type OperationTable } from '../operation.ts'

export const discoveryOperations: OperationTable = {
  getAuthConfiguration: { stateless: true, handle: ({ domain }) => ok(domain.discovery()) },
  getJwks: { stateless: true, handle: ({ domain }) => ok(domain.jwks()) },
}
