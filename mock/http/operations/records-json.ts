// The JSON text of records answers, with each stored record's text made once. A stored
// record is frozen and replaced, never changed, on update (mock/domain/records.ts), so its
// text can be kept beside it for as long as it lives (a WeakMap: nothing outlives the
// record), and a list answer becomes the concatenation of texts made before instead of a
// JSON.stringify of every record on every request. Byte for byte the same text as
// JSON.stringify of the answer. A page the domain keeps (frozen: mock/domain/kept-lists.ts)
// answers many requests, so its body is kept too, encoded once.
import type { DataRecord, RecordPage } from '../../domain/contract.ts'

/** The content type Fastify gives JSON answers; a string body with it is sent as it is. */
export const JSON_CONTENT_TYPE = { 'content-type': 'application/json; charset=utf-8' } as const

const texts = new WeakMap<Readonly<DataRecord>, string>()

export function recordJson(record: Readonly<DataRecord>): string {
  let text = texts.get(record)
  if (text === undefined) {
    text = JSON.stringify(record)
    // Only a frozen record is sure to keep answering the same text.
    if (Object.isFrozen(record)) texts.set(record, text)
  }
  return text
}

export function recordPageJson(page: RecordPage): string {
  return `{"items":[${page.items.map(recordJson).join(',')}],"next_cursor":${JSON.stringify(page.next_cursor)}}`
}

/** Bodies of kept pages: bounded by their bytes and their number; the oldest go first. */
export const PAGE_BODY_LIMITS = { maxBytes: 32 * 2 ** 20, maxEntries: 10_000 }

export interface PageBodies {
  /**
   * The body of a list answer: for a kept (frozen) page, its UTF-8 bytes, made once and
   * kept while they fit the limits; for any other page, its text.
   */
  body(page: RecordPage): Buffer | string
  /** How many bodies are kept, and their bytes. */
  readonly entries: number
  readonly bytes: number
}

export function createPageBodies(limits = PAGE_BODY_LIMITS): PageBodies {
  const bodies = new Map<RecordPage, Buffer>()
  let bytes = 0
  return {
    body(page) {
      if (!Object.isFrozen(page)) return recordPageJson(page)
      const kept = bodies.get(page)
      if (kept !== undefined) return kept
      const text = recordPageJson(page)
      // Unpooled: a small Buffer from the shared pool would keep its whole 8 KiB slab alive.
      const body = Buffer.allocUnsafeSlow(Buffer.byteLength(text))
      body.write(text)
      if (body.length > limits.maxBytes) return body
      bodies.set(page, body)
      bytes += body.length
      for (const [oldest, kept] of bodies) {
        if (bodies.size <= limits.maxEntries && bytes <= limits.maxBytes) break
        bodies.delete(oldest)
        bytes -= kept.length
      }
      return body
    },
    get entries() {
      return bodies.size
    },
    get bytes() {
      return bytes
    },
  }
}

/** The bodies of the pages kept by every mock of this process (the pages' own identity keys them). */
export const pageBodies = createPageBodies()
