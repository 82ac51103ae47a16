// Request validation straight from the contract's JSON Schemas (OpenAPI 3.1 = JSON
// Schema 2020-12). Two ajv instances because bodies and URLs differ: a body is JSON and
// must match exactly (no coercion — "true" is not a boolean — and no stripping of unknown
// fields, so `additionalProperties: false` answers 400), while path and query values
// arrive as strings and are coerced to the declared types (limit=10 → 10).
import { Ajv2020, type Options } from 'ajv/dist/2020.js'
import { addContractFormats } from '../../openapi/formats.ts'
import type { FastifySchemaCompiler } from 'fastify'
import type { HttpSeams } from './http-seams.ts'

const COMMON: Options = {
  allErrors: true,
  removeAdditional: false,
  // The bundle carries OpenAPI annotations (examples, writeOnly, x-*) next to the schema
  // keywords; they describe, they do not validate.
  strict: false,
}

function createAjv(options: Options): Ajv2020 {
  return addContractFormats(new Ajv2020({ ...COMMON, ...options }))
}

export function createValidatorCompiler(seams: Pick<HttpSeams, 'removeAdditional'>): FastifySchemaCompiler<unknown> {
  const bodies = createAjv({ coerceTypes: false, useDefaults: false, removeAdditional: seams.removeAdditional })
  const urlParts = createAjv({ coerceTypes: true, useDefaults: true })
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? bodies : urlParts
    return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>
  }
}
