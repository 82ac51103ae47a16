// A failing case's requests and responses as plain text (JUnit, Markdown, console),
// already redacted by the results model.
import type { TranscriptEntry } from '../suites/harness/case-context.ts'

export function transcriptText(entries: readonly TranscriptEntry[]): string {
  return entries.map(entryText).join('\n\n')
}

function entryText(entry: TranscriptEntry): string {
  const lines = [`> ${entry.method} ${entry.url}`]
  for (const [name, value] of Object.entries(entry.requestHeaders)) lines.push(`> ${name}: ${value}`)
  if (entry.requestBody) lines.push(`> ${entry.requestBody}`)
  if (entry.error) {
    lines.push(`! ${entry.error} (${entry.durationMs} ms)`)
    return lines.join('\n')
  }
  lines.push(`< ${entry.status} (${entry.durationMs} ms)`)
  for (const [name, value] of Object.entries(entry.responseHeaders ?? {})) lines.push(`< ${name}: ${value}`)
  if (entry.responseBody) lines.push(`< ${entry.responseBody}`)
  return lines.join('\n')
}
