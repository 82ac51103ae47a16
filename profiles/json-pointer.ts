// RFC 6901 JSON Pointers over plain JSON values: read, write (creating what is missing on
// the way) and the first segment (what `carry` compares).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const MISSING = Symbol('missing')
export type Found = Json | typeof MISSING
export { MISSING }

export function segments(pointer: string): string[] {
  if (pointer === '') return []
  return pointer.slice(1).split('/').map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
}

export function escapeSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1')
}

/** The value at `pointer`, or MISSING. */
export function getAt(document: Json | undefined, pointer: string): Found {
  let node: Json | undefined = document
  for (const part of segments(pointer)) {
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(part)) node = node[Number(part)]
    else if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, part)) node = node[part]
    else return MISSING
    if (node === undefined) return MISSING
  }
  return node === undefined ? MISSING : node
}

/** Returns the document with `value` at `pointer`; objects (or arrays, for numeric segments) are made on the way. */
export function setAt(document: Json | undefined, pointer: string, value: Json): Json {
  const parts = segments(pointer)
  if (parts.length === 0) return value
  const root: Json = document !== undefined && document !== null && typeof document === 'object' ? document : /^\d+$/.test(parts[0]!) ? [] : {}
  let node: any = root
  parts.forEach((part, index) => {
    if (index === parts.length - 1) {
      node[part] = value
      return
    }
    const next = node[part]
    if (next === null || typeof next !== 'object') node[part] = /^\d+$/.test(parts[index + 1]!) ? [] : {}
    node = node[part]
  })
  return root
}

/** The top-level member a pointer starts with ('' for the whole document). */
export function topLevel(pointer: string): string {
  return segments(pointer)[0] ?? ''
}
