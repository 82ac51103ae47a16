// The JSON text of records answers, with each stored record's text made once. A stored
// record is frozen and replaced, never changed, on update (mock/domain/records.ts), so its
// text can be kept beside it for as long as it lives (a WeakMap: nothing outlives the
// record), and a list answer becomes the concatenation of texts made before instead of a
// JSON.stringify of every record on every request. Byte for byte the same text as
// JSON.stringify of the answer.
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
