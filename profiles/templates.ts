// The two kinds of template of the format: path templates of wire calls ('/api/{name}/{id}')
// and value formats ('Bearer {value}', 'apikey {id}:{secret}'). Each is read and written
// from one compiled form, so a profile says it once for both directions.

export interface PathTemplate {
  text: string
  names: string[]
  /** Literal segments: a literal beats a parameter when two templates match (/sessions/refresh/ over /sessions/{id}). */
  literals: number
  match(path: string): Record<string, string> | undefined
  fill(params: Record<string, string>): string
}

export function pathTemplate(text: string): PathTemplate {
  const names = [...text.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!)
  // A trailing slash is optional on the wire: the seeds write /sessions/ and /sessions alike.
  const body = text.replace(/\/$/, '')
  const source = body
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '([^/]+)' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('')
  const pattern = new RegExp(`^${source}/?$`)
  return {
    text,
    names,
    literals: text.split('/').filter((segment) => segment && !segment.includes('{')).length,
    match(path) {
      const found = pattern.exec(path)
      if (!found) return undefined
      const params: Record<string, string> = {}
      for (const [index, name] of names.entries()) {
        try {
          params[name] = decodeURIComponent(found[index + 1]!)
        } catch {
          return undefined
        }
      }
      return params
    },
    fill(params) {
      return text.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''))
    },
  }
}

export interface ValueFormat {
  text: string
  names: string[]
  /** The placeholders' values, or undefined when the text is not of this format. A leading scheme word matches case-insensitively. */
  read(value: string): Record<string, string> | undefined
  write(values: Record<string, string>): string
}

export function valueFormat(text: string): ValueFormat {
  const names = [...text.matchAll(/\{([a-z]+)\}/g)].map((match) => match[1]!)
  const parts = text.split(/(\{[a-z]+\})/)
  const source = parts
    .map((part, index) => {
      // The last placeholder takes the rest; earlier ones stop at the first separator.
      if (/^\{[a-z]+\}$/.test(part)) return index === parts.length - 2 && parts.at(-1) === '' ? '(.+)' : '(.+?)'
      const escaped = part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      // 'Bearer ' also matches 'bearer ' (the flag below) and any run of spaces after the scheme word.
      return index === 0 ? escaped.replace(/ $/, ' +') : escaped
    })
    .join('')
  // Case-insensitive: the literal text is a scheme word and separators; placeholders capture as sent.
  const pattern = new RegExp(`^${source}$`, 'i')
  return {
    text,
    names,
    read(value) {
      const found = pattern.exec(value.trim())
      if (!found) return undefined
      return Object.fromEntries(names.map((name, index) => [name, found[index + 1]!]))
    },
    write(values) {
      return text.replace(/\{([a-z]+)\}/g, (_, name: string) => values[name] ?? '')
    },
  }
}
