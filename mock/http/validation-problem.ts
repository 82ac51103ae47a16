// Turns the ajv errors Fastify attaches to a failed schema validation into the contract's
// `errors: [{in, path, message}]` and a detail that names the offending field.
import type { FieldError } from '../domain/errors.ts'

interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  /** Set by ajv on errors raised while checking a property *name* (propertyNames). */
  propertyName?: string
  params: Record<string, unknown>
}

interface ValidationFailure extends Error {
  validation: AjvError[]
  validationContext?: string
}

const LOCATIONS: Record<string, FieldError['in']> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
}

/** A failure shaped like the ones Fastify raises, for checks it cannot make itself. */
export function validationFailure(context: 'body' | 'querystring' | 'params' | 'headers', validation: AjvError[]): ValidationFailure {
  return Object.assign(new Error(`${context} is not valid`), { validation, validationContext: context })
}

export function isValidationFailure(error: unknown): error is ValidationFailure {
  return error instanceof Error && Array.isArray((error as Partial<ValidationFailure>).validation)
}

export function fieldErrorsOf(failure: ValidationFailure): FieldError[] {
  const location = LOCATIONS[failure.validationContext ?? 'body'] ?? 'body'
  const seen = new Set<string>()
  const errors: FieldError[] = []
  for (const error of failure.validation) {
    // The if/else wrapper of optional bodies adds a summary error of its own.
    if (error.keyword === 'if') continue
    const fieldError = { in: location, ...describe(error) }
    const key = `${fieldError.path}\u0000${fieldError.message}`
    if (seen.has(key)) continue
    seen.add(key)
    errors.push(fieldError)
  }
  return errors
}

/** "body field /api_key must match pattern …" — the first error, and how many follow. */
export function detailOf(errors: FieldError[], lead = 'Invalid request'): string {
  const [first, ...rest] = errors
  if (!first) return 'The request is not valid.'
  const where = first.path === '' ? `the ${first.in}` : `${first.in} field ${first.path}`
  const more = rest.length === 0 ? '' : ` (and ${rest.length} more error${rest.length === 1 ? '' : 's'})`
  return `${lead}: ${where} ${first.message}${more}.`
}

function describe(error: AjvError): { path: string; message: string } {
  const child = (name: unknown): string => `${error.instancePath}/${escapePointer(String(name))}`
  switch (error.keyword) {
    case 'required':
      return { path: child(error.params.missingProperty), message: 'is required' }
    case 'additionalProperties':
      return { path: child(error.params.additionalProperty), message: 'is not a known field' }
    case 'unevaluatedProperties':
      return { path: child(error.params.unevaluatedProperty), message: 'is not a known field' }
    case 'propertyNames':
      return { path: child(error.params.propertyName), message: 'is not an allowed field name' }
    default: {
      const message = error.message ?? 'is not valid'
      if (error.propertyName !== undefined) return { path: child(error.propertyName), message: `name ${message}` }
      return { path: error.instancePath, message }
    }
  }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1')
}
