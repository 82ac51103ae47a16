// The one syntax for places in a request or an answer (profiles/README.md "Locations"):
// '/a/b' a body pointer, '{name}' a path parameter, '?name' a query parameter,
// 'header:Name' a header, 'basic:username|password' a half of HTTP Basic credentials.

export type Location =
  | { kind: 'body'; pointer: string }
  | { kind: 'path'; name: string }
  | { kind: 'query'; name: string }
  | { kind: 'header'; name: string }
  | { kind: 'basic'; part: 'username' | 'password' }

export function parseLocation(text: string): Location {
  if (text === '' || text.startsWith('/')) return { kind: 'body', pointer: text }
  if (text.startsWith('{') && text.endsWith('}')) return { kind: 'path', name: text.slice(1, -1) }
  if (text.startsWith('?')) return { kind: 'query', name: text.slice(1) }
  if (text.startsWith('header:')) return { kind: 'header', name: text.slice('header:'.length).toLowerCase() }
  if (text === 'basic:username' || text === 'basic:password') return { kind: 'basic', part: text.slice('basic:'.length) as 'username' | 'password' }
  // The schema admits nothing else; reaching here is a bug in the caller.
  throw new TypeError(`not a location: '${text}'`)
}

export function describeLocation(location: Location): string {
  switch (location.kind) {
    case 'body':
      return location.pointer === '' ? 'the body' : `body ${location.pointer}`
    case 'path':
      return `path parameter {${location.name}}`
    case 'query':
      return `query parameter ${location.name}`
    case 'header':
      return `header ${location.name}`
    case 'basic':
      return `HTTP Basic ${location.part}`
  }
}
