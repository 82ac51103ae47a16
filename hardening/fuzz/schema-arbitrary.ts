// fast-check arbitraries derived from the contract's JSON Schemas: `validOf` draws values
// the schema should accept, `invalidOf` values it should refuse (a wrong type, a broken
// constraint, a missing or unknown field, one bad field deep inside a good object).
// Whether a drawn value really is valid is never assumed from how it was built: the
// oracle asks ajv (`schemaAccepts`), so a generator slip cannot become a false finding.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import fc from 'fast-check'
import { contract, deref } from '../../openapi/contract.ts'
import { addContractFormats } from '../../openapi/formats.ts'

export type Schema = { [keyword: string]: any }

const BUNDLE_ID = 'urn:authconform:fuzz-bundle'
const ajv = addContractFormats(new Ajv2020({ strict: false, allErrors: false }))
ajv.addSchema(contract, BUNDLE_ID)
const validators = new Map<string, ValidateFunction>()

/** Whether the bundle's schema at `pointer` (e.g. "#/components/schemas/KeyCreate") accepts `value`. */
export function schemaAccepts(pointer: string, value: unknown): boolean {
  let validate = validators.get(pointer)
  if (!validate) {
    validate = ajv.compile({ $ref: `${BUNDLE_ID}${pointer}` })
    validators.set(pointer, validate)
  }
  return validate(value) === true
}

// Dates far enough ahead to be "in the future" for the mock's clock, even advanced by the fuzzer.
const FUTURE = fc.date({ min: new Date('2090-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
const ANY_DATE = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
const SMALL_JSON = fc.jsonValue({ maxDepth: 2 })

/** allOf of object schemas (the contract's only use): one schema with every part's fields. */
function mergeAllOf({ allOf, ...rest }: Schema): Schema {
  return (allOf as Schema[]).map(deref).reduce<Schema>(
    (merged, part) => ({
      ...merged,
      ...part,
      properties: { ...merged.properties, ...part.properties },
      required: [...(merged.required ?? []), ...(part.required ?? [])],
    }),
    rest,
  )
}

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type
  if (typeof schema.type === 'string') return [schema.type]
  if (schema.properties || schema.additionalProperties !== undefined || schema.propertyNames) return ['object']
  if (schema.items) return ['array']
  return []
}

export function validOf(raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const schema = deref(raw)
  if ('const' in schema) return fc.constant(schema.const)
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum)
  if (Array.isArray(schema.allOf)) return validOf(mergeAllOf(schema), depth)
  const branches = schema.oneOf ?? schema.anyOf
  if (Array.isArray(branches)) return fc.oneof(...branches.map((branch: Schema) => validOf(branch, depth + 1)))
  const types = typesOf(schema)
  if (types.length === 0) return SMALL_JSON
  return fc.oneof(...types.map((type) => validOfType(schema, type, depth)))
}

function validOfType(schema: Schema, type: string, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return validString(schema)
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 })
    case 'number':
      return validNumber(schema)
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array':
      return validArray(schema, depth)
    case 'object':
      return validObject(schema, depth)
    default:
      return SMALL_JSON
  }
}

function validString(schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0
  const max = schema.maxLength ?? min + 40
  if (schema.format === 'email') {
    // fast-check's addresses have dotted domains; the contract's mailboxes need not (openapi/formats.ts).
    const unusual = fc.constantFrom('dev@localhost', '"john doe"@example.test', 'ops@[192.0.2.1]', 'ops@[IPv6:2001:db8::1]')
    return fc.oneof({ weight: 4, arbitrary: fc.emailAddress() }, { weight: 1, arbitrary: unusual }).filter((email) => email.length <= max)
  }
  if (schema.format === 'uri') return fc.webUrl()
  if (schema.format === 'date-time') return FUTURE.map((date) => date.toISOString())
  if (typeof schema.pattern === 'string') {
    return fc.stringMatching(new RegExp(schema.pattern)).filter((text) => text.length >= min && text.length <= max)
  }
  return fc.string({ minLength: min, maxLength: Math.min(max, min + 40), unit: 'grapheme' })
}

/** Whole and fractional numbers within the bounds, exclusive ones (ControlFaultInput.fraction) included. */
function validNumber(schema: Schema): fc.Arbitrary<number> {
  const bounds = {
    min: schema.exclusiveMinimum ?? schema.minimum ?? -1e9,
    max: schema.exclusiveMaximum ?? schema.maximum ?? 1e9,
    minExcluded: schema.exclusiveMinimum !== undefined,
    maxExcluded: schema.exclusiveMaximum !== undefined,
  }
  const lowest = Math.max(-1_000_000, bounds.minExcluded ? Math.floor(bounds.min) + 1 : Math.ceil(bounds.min))
  const highest = Math.min(1_000_000, bounds.maxExcluded ? Math.ceil(bounds.max) - 1 : Math.floor(bounds.max))
  const double = fc.double({ noNaN: true, noDefaultInfinity: true, ...bounds })
  return lowest <= highest ? fc.oneof(fc.integer({ min: lowest, max: highest }), double) : double
}

function validArray(schema: Schema, depth: number): fc.Arbitrary<unknown[]> {
  const minLength = schema.minItems ?? 0
  const maxLength = Math.min(schema.maxItems ?? minLength + 4, minLength + 4)
  const items = schema.items ? validOf(schema.items, depth + 1) : SMALL_JSON
  return schema.uniqueItems
    ? fc.uniqueArray(items, { minLength, maxLength, selector: (item) => JSON.stringify(item) })
    : fc.array(items, { minLength, maxLength })
}

function validObject(schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties: Record<string, Schema> = schema.properties ?? {}
  const required: string[] = schema.required ?? []
  const known = fc.record(
    Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, validOf(property, depth + 1)])),
    { requiredKeys: required.filter((name) => name in properties) },
  )
  const extra =
    schema.additionalProperties === false || Object.keys(properties).length > 0
      ? fc.constant({})
      : fc.dictionary(freeFieldName(schema.propertyNames), depth > 1 ? fc.constant(null) : SMALL_JSON, { maxKeys: 5 })
  const minProperties = schema.minProperties ?? 0
  return fc
    .tuple(known, extra)
    .map(([fields, more]) => ({ ...more, ...fields }) as Record<string, unknown>)
    .filter((value) => Object.keys(value).length >= minProperties)
}

function freeFieldName(propertyNames: Schema | undefined): fc.Arbitrary<string> {
  if (!propertyNames) return fc.string({ minLength: 1, maxLength: 12 })
  const names = deref(propertyNames)
  const forbidden = new Set<string>(deref(names.not ?? {}).enum ?? [])
  const base = typeof names.pattern === 'string' ? fc.stringMatching(new RegExp(names.pattern)) : fc.string({ minLength: 1 })
  return base.filter((name) => name.length <= 64 && !forbidden.has(name) && name !== '__proto__')
}

/** Values meant to break the schema; ajv, not this function, has the last word. */
export function invalidOf(raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const schema = deref(raw)
  const types = typesOf(schema)
  const attempts: fc.Arbitrary<unknown>[] = [wrongType(types)]
  if (types.includes('string')) attempts.push(brokenString(schema))
  if (types.includes('integer') || types.includes('number')) attempts.push(brokenNumber(schema, types.includes('integer')))
  if (types.includes('array')) attempts.push(brokenArray(schema, depth))
  if (types.includes('object') && depth < 3) attempts.push(brokenObject(schema, depth))
  if (Array.isArray(schema.enum) || 'const' in schema) attempts.push(fc.string({ maxLength: 12 }))
  const branches = schema.oneOf ?? schema.anyOf
  if (Array.isArray(branches) && depth < 3) attempts.push(...branches.map((branch: Schema) => invalidOf(branch, depth + 1)))
  return fc.oneof(...attempts)
}

function wrongType(types: string[]): fc.Arbitrary<unknown> {
  const all: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.string({ maxLength: 10 }),
    number: fc.double({ noNaN: true, noDefaultInfinity: true }),
    integer: fc.integer(),
    boolean: fc.boolean(),
    null: fc.constant(null),
    array: fc.array(SMALL_JSON, { maxLength: 3 }),
    object: fc.dictionary(fc.string({ maxLength: 8 }), SMALL_JSON, { maxKeys: 3 }),
  }
  const others = Object.entries(all)
    .filter(([type]) => !types.includes(type) && !(type === 'integer' && types.includes('number')))
    .map(([, arbitrary]) => arbitrary)
  return fc.oneof(...(others.length > 0 ? others : [all.object!]))
}

function brokenString(schema: Schema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [
    fc.constantFrom('', ' ', '\u0000', '\ud800', '../../etc/passwd', "' OR 1=1 --", '<script>', 'key_', '😀'.repeat(3)),
  ]
  if (typeof schema.maxLength === 'number') {
    options.push(fc.integer({ min: schema.maxLength + 1, max: schema.maxLength + 64 }).map((length) => 'a'.repeat(length)))
  }
  if (typeof schema.minLength === 'number' && schema.minLength > 0) {
    options.push(fc.string({ maxLength: schema.minLength - 1 }))
  }
  if (schema.format === 'date-time') options.push(ANY_DATE.map((date) => date.toUTCString()))
  if (schema.format === 'email') options.push(fc.constantFrom('not-an-email', '@', 'a@', 'a b@c.d'))
  return fc.oneof(...options)
}

function brokenNumber(schema: Schema, integer: boolean): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2)]
  if (integer) options.push(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)))
  if (typeof schema.minimum === 'number') options.push(fc.integer({ min: -1_000_000, max: schema.minimum - 1 }))
  if (typeof schema.maximum === 'number') options.push(fc.integer({ min: schema.maximum + 1, max: schema.maximum + 1_000_000 }))
  return fc.oneof(...options)
}

function brokenArray(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = []
  if (schema.items && depth < 3) {
    options.push(fc.tuple(validArray(schema, depth), invalidOf(schema.items, depth + 1)).map(([good, bad]) => [...good, bad]))
  }
  if ((schema.minItems ?? 0) > 0) options.push(fc.constant([]))
  if (typeof schema.maxItems === 'number' && schema.maxItems <= 1000 && schema.items) {
    options.push(fc.constant(null).map(() => Array.from({ length: (schema.maxItems as number) + 1 }, (_, i) => i)))
  }
  if (schema.uniqueItems) options.push(validOf(schema.items ?? {}, depth + 1).map((item) => [item, item]))
  return options.length > 0 ? fc.oneof(...options) : fc.constant('not an array')
}

function brokenObject(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const properties: Record<string, Schema> = schema.properties ?? {}
  const required: string[] = schema.required ?? []
  const good = validObject(schema, depth)
  const options: fc.Arbitrary<unknown>[] = []
  if (required.length > 0) {
    options.push(
      fc.tuple(good, fc.constantFrom(...required)).map(([value, name]) => {
        const { [name]: _dropped, ...rest } = value
        return rest
      }),
    )
  }
  if (schema.additionalProperties === false) {
    options.push(fc.tuple(good, fc.string({ minLength: 1, maxLength: 12 })).map(([value, name]) => ({ ...value, [`x_${name}`]: 1 })))
  }
  const names = Object.keys(properties)
  if (names.length > 0) {
    options.push(
      fc
        .constantFrom(...names)
        .chain((name) => fc.tuple(good, fc.constant(name), invalidOf(properties[name]!, depth + 1)))
        .map(([value, name, bad]) => ({ ...value, [name]: bad })),
    )
  }
  if (schema.propertyNames) {
    options.push(fc.tuple(good, fc.constantFrom('id', 'owner', '1bad', 'a-b', 'x'.repeat(65))).map(([value, name]) => ({ ...value, [name]: 1 })))
  }
  if (typeof schema.maxProperties === 'number' && schema.maxProperties <= 1000) {
    options.push(fc.constant(null).map(() => Object.fromEntries(Array.from({ length: (schema.maxProperties as number) + 1 }, (_, i) => [`f${i}`, i]))))
  }
  return options.length > 0 ? fc.oneof(...options) : wrongType(['object'])
}
