// Types of `authconform/contract`: the contract's generated types (openapi/generated/schema.d.ts,
// made by `npm run generate`), for typed clients such as openapi-fetch:
//
//   import createClient from 'openapi-fetch'
//   import type { paths } from 'authconform/contract'
//   const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:4010' })
export type { $defs, components, operations, paths, webhooks } from './generated/schema.js'

/** The bundled OpenAPI 3.1 document (openapi/generated/bundle.json). */
export declare const bundle: {
  openapi: string
  info: { title: string; version: string; [field: string]: unknown }
  paths: Record<string, Record<string, unknown>>
  components: Record<string, Record<string, unknown>>
  [field: string]: unknown
}
