/**
 * profiles/generated/profile.d.ts from profiles/profile.schema.json, with openapi-typescript
 * (the tool that types the contract): the schema is the one source of the format, the types
 * are never written by hand. `npm run generate` runs it; profiles/generated.test.ts keeps
 * the committed file fresh.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'

export const SCHEMA_PATH = fileURLToPath(new URL('../profile.schema.json', import.meta.url))
export const TYPES_PATH = fileURLToPath(new URL('../generated/profile.d.ts', import.meta.url))

const HEADER = `// Generated from profiles/profile.schema.json by profiles/tooling/generate-types.ts
// (npm run generate). Do not edit: change the schema and regenerate.\n`

/** The declarations for the schema: its root as `Profile`, each $defs entry under its own name. */
export async function profileTypes(): Promise<string> {
  const { $defs, $schema: _schema, $id: _id, ...root } = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'))
  // openapi-typescript reads OpenAPI documents: the schema's definitions become components.
  const document = {
    openapi: '3.1.0',
    info: { title: 'authconform profile', version: '1' },
    paths: {},
    components: { schemas: { Profile: toComponents(root), ...toComponents($defs) } },
  }
  const ast = await openapiTS(document as never, { defaultNonNullable: false })
  return `${HEADER}${astToString(ast)}`
}

function toComponents(node: unknown): any {
  if (Array.isArray(node)) return node.map(toComponents)
  if (!node || typeof node !== 'object') return node
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' ? value.replace('#/$defs/', '#/components/schemas/') : toComponents(value),
    ]),
  )
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(TYPES_PATH, await profileTypes())
}
