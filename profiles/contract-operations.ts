// The contract's operations as the translation layer needs them: what the bundle says
// about each (has it a request body, its success status) and which one a request names.
import { contract, operations, type Operation } from '../openapi/bundle.ts'
import { pathTemplate, type PathTemplate } from './templates.ts'

export interface ContractOperation extends Operation {
  template: PathTemplate
  /** The operation defines a request body. */
  hasBody: boolean
  /** Its one documented 2xx status. */
  successStatus: number
}

const all: readonly ContractOperation[] = operations().map((operation) => {
  const object = contract.paths[operation.path]![operation.method]! as { requestBody?: unknown; responses?: Record<string, unknown> }
  const success = Object.keys(object.responses ?? {}).find((status) => /^2\d\d$/.test(status))
  return { ...operation, template: pathTemplate(operation.path), hasBody: object.requestBody !== undefined, successStatus: Number(success ?? 200) }
})

// Literal segments first: /v1/sessions/current is the {id} route too, but /v1/keys/{id}/rotate beats /v1/keys/{id}.
const byLiterals = [...all].sort((a, b) => b.template.literals - a.template.literals)

export function contractOperations(): readonly ContractOperation[] {
  return all
}

export function contractOperation(operationId: string): ContractOperation {
  const found = all.find((operation) => operation.operationId === operationId)
  if (!found) throw new TypeError(`unknown operationId: ${operationId}`)
  return found
}

export type ContractMatch =
  | { kind: 'operation'; operation: ContractOperation; params: Record<string, string> }
  /** A path of the contract, with no operation for this method (OPTIONS, an undefined method). */
  | { kind: 'path'; template: string }
  | { kind: 'none' }

export function matchContract(method: string, path: string): ContractMatch {
  const lower = method.toLowerCase()
  let pathOnly: string | undefined
  for (const operation of byLiterals) {
    // Contract paths have no trailing slash: a request with one names no route.
    if (path.endsWith('/') && path !== '/') continue
    const params = operation.template.match(path)
    if (!params) continue
    if (operation.method === lower) return { kind: 'operation', operation, params }
    pathOnly ??= operation.path
  }
  return pathOnly ? { kind: 'path', template: pathOnly } : { kind: 'none' }
}
