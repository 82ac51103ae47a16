// `authconform/contract` for client code: the bundled OpenAPI document as a plain object.
// Its types — the generated `paths`, `components` and `operations` (openapi-typescript) —
// come from contract-export.d.ts beside this file; the bundle itself is also exported as
// `authconform/contract/bundle.json` and `…/bundle.yaml` for tools that read files.
import { readFileSync } from 'node:fs'

export const bundle = JSON.parse(readFileSync(new URL('./generated/bundle.json', import.meta.url), 'utf8'))
