// The whole shared state as a replica loads it when it joins, or when it fell further
// behind than the log reaches: load.lua's reply, parsed into rows in their order.
import type { TableName } from '../store/store.ts'
import { KEYED_TABLES } from '../store/table-specs.ts'
import { reviveRecord, reviveRow } from './row-json.ts'

/** The tables and the fixture snapshot, as the replicated store takes them. */
export interface LoadedState {
  seq: number
  tables: Record<TableName, unknown[]>
  fixtures: Record<TableName, unknown[]>
}

/** And what the replica itself takes: where the log stands, the store's identity, the clock. */
export interface Loaded extends LoadedState {
  head: number
  generation: string
  clockMs: number
}

type TableRows = string[][]
export type LoadReply = [head: number, generation: string, seq: string, clock: string, tables: TableRows, fixtures: TableRows]

export function parseLoad([head, generation, seq, clock, tables, fixtures]: LoadReply): Loaded {
  return { head, generation, seq: Number(seq), clockMs: Number(clock), tables: parseTables(tables), fixtures: parseTables(fixtures) }
}

/** Keyed tables in their order (rows are stored as "<ordinal>|<JSON>"), records by seq. */
function parseTables(raw: TableRows): Record<TableName, unknown[]> {
  const tables = {} as Record<TableName, unknown[]>
  KEYED_TABLES.forEach((name, index) => {
    tables[name] = raw[index]!
      .map((stored) => {
        const bar = stored.indexOf('|')
        return { ordinal: Number(stored.slice(0, bar)), json: stored.slice(bar + 1) }
      })
      .sort((a, b) => a.ordinal - b.ordinal)
      .map(({ json }) => reviveRow(name, json))
  })
  const records = raw[KEYED_TABLES.length] as unknown as Array<string | string[]>
  const datasets: Array<[string, unknown[]]> = []
  for (let index = 0; index < records.length; index += 2) {
    datasets.push([records[index] as string, (records[index + 1] as string[]).map(reviveRecord).sort((a, b) => a.seq - b.seq)])
  }
  tables.records = datasets
  return tables
}
