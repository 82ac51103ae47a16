// report.html: one self-contained file (inline style and script, a CSP that forbids
// anything external): the requirement matrix by area, status filters, and every case —
// failing ones opened, with their redacted request/response transcripts.
import type { TranscriptEntry } from '../suites/harness/case-context.ts'
import { profileSummary, STATUS_LABELS } from './report-markdown.ts'
import { CASE_STATUSES, type CaseResult, type CoverageRow, type RunResults } from './results.ts'

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1rem 1.5rem;color:#1d1d1f}
h1{font-size:1.5rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}h3{margin-bottom:.3rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.25rem .5rem;text-align:left;vertical-align:top}
.badge{display:inline-block;border-radius:3px;padding:0 .4rem;font-size:.8rem;white-space:nowrap}
.passed{background:#d7f5dd}.failed{background:#ffd6d6}.warning{background:#fff1c2}.expected_failure{background:#e3e7ff}
.not_verified{background:#eee}.not_applicable{background:#f5f5f5;color:#777}.no_case{background:#f0e0ff}
#filters label{margin-right:1rem;cursor:pointer}.hidden{display:none}
details.case{border:1px solid #ddd;border-radius:4px;margin:.4rem 0;padding:.3rem .6rem}
details.case>summary{cursor:pointer}pre{background:#f7f7f9;padding:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.meta{color:#555}.verdict-passed{color:#137333}.verdict-failed{color:#b3261e}.verdict-incomplete{color:#8a5a00}`

// Hides every row and case whose status is unchecked; reports how many remain visible.
const SCRIPT = `
const boxes=[...document.querySelectorAll('#filters input')];
function apply(){const on=new Set(boxes.filter(b=>b.checked).map(b=>b.value));
for(const el of document.querySelectorAll('[data-status]'))el.classList.toggle('hidden',!on.has(el.dataset.status));
const shown=document.querySelectorAll('details.case:not(.hidden)').length;document.getElementById('shown').textContent=String(shown);}
boxes.forEach(b=>b.addEventListener('change',apply));apply();`

export function renderHtml(results: RunResults): string {
  const { run } = results
  const caseAnchors = new Map(results.cases.map((result, index) => [result.id, `case-${index + 1}`]))
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>authconform verify: ${results.verdict} — ${html(run.target)}</title>
<style>${STYLE}</style></head><body>
<h1>authconform verify: <span class="verdict-${results.verdict}">${results.verdict}</span></h1>
<p class="meta">Target <code>${html(run.target)}</code>${run.profile ? ` · profile <b>${html(run.profile.name)}</b> (${html(run.profile.title)})` : ''} · run <code>${html(run.runId)}</code> · seed ${run.seed} · time strategy <b>${html(run.timeStrategy)}</b> (${html(run.timeReason)}) · ${(run.durationMs / 1000).toFixed(1)} s · ${html(run.startedAt)}${run.strict ? ' · strict' : ''}</p>
${profileSummary(results) ? `<p>${html(profileSummary(results)!)} The requirement tables say why.</p>` : ''}
${run.budgetExhausted ? '<p><b>The run budget ran out</b>: the cases that did not run are not verified.</p>' : ''}
${unverifiedSection(results)}
${run.unhandledErrors.map((error) => `<p><b>Error outside any case:</b> <code>${html(error)}</code></p>`).join('\n')}
${staleSection(results)}
${cleanupSection(results)}
<div id="filters">Show: ${CASE_STATUSES.map((status) => `<label><input type="checkbox" value="${status}" checked> <span class="badge ${status}">${STATUS_LABELS[status]}</span> ${results.counts[status]}</label>`).join('')}<label><input type="checkbox" value="no_case" checked> <span class="badge no_case">no case</span></label></div>
<h2>Requirements by area</h2>
${areaTables(results.coverage, caseAnchors, run.profile !== undefined)}
<h2>Cases (<span id="shown">${results.cases.length}</span> shown)</h2>
${results.cases.map((result) => caseBlock(result, caseAnchors.get(result.id)!)).join('\n')}
<script>${SCRIPT}</script>
</body></html>
`
}

/** Why the run is incomplete (or passed only by --allow-unverified): the MUST cases not verified, by reason. */
function unverifiedSection(results: RunResults): string {
  const { unverified } = results
  if (unverified.count === 0) return ''
  const allowed = results.run.allowUnverified ? ' (accepted by <code>--allow-unverified</code>)' : ''
  const rows = unverified.reasons.map(({ reason, cases }) => `<tr><td>${cases}</td><td>${html(reason)}</td></tr>`)
  return `<h2>Not verified (MUST): ${unverified.count}${allowed}</h2><table><thead><tr><th>Cases</th><th>Reason</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

function cleanupSection(results: RunResults): string {
  if (results.run.cleanupProblems.length === 0) return ''
  const items = results.run.cleanupProblems.map((problem) => `<li>${html(problem)}</li>`)
  return `<h2>Clean-up problems</h2><p>Data of run <code>${html(results.run.runId)}</code> may be left on the target:</p><ul>${items.join('')}</ul>`
}

function staleSection(results: RunResults): string {
  if (results.staleExpectedFailures.length === 0) return ''
  const items = results.staleExpectedFailures.map((entry) => `<li><code>${html(entry.id)}</code>: ${html(entry.reason)} — passes now</li>`)
  return `<h2>Stale expected failures</h2><ul>${items.join('')}</ul>`
}

/** `why`: a column that says why a requirement is not applicable (under a profile). */
function areaTables(coverage: CoverageRow[], anchors: Map<string, string>, why: boolean): string {
  const areas = [...new Set(coverage.map((row) => row.area))]
  return areas
    .map((area) => {
      const rows = coverage.filter((row) => row.area === area).map((row) => {
        const links = row.cases.map((id, index) => `<a href="#${anchors.get(id)}" title="${html(id)}">${index + 1}</a>`).join(' ')
        const reason = why ? `<td>${html((row.notApplicable ?? []).join('; '))}</td>` : ''
        return `<tr data-status="${row.status}"><td>${row.id}</td><td>${row.level}</td><td><span class="badge ${row.status}">${STATUS_LABELS[row.status]}</span></td><td>${html(row.title)}</td><td>${links}</td>${reason}</tr>`
      })
      return `<h3>${html(area)}</h3><table><thead><tr><th>Requirement</th><th>Level</th><th>Status</th><th>Title</th><th>Cases</th>${why ? '<th>Not applicable because</th>' : ''}</tr></thead><tbody>${rows.join('')}</tbody></table>`
    })
    .join('\n')
}

function caseBlock(result: CaseResult, anchor: string): string {
  const open = result.status === 'failed' || result.status === 'warning' ? ' open' : ''
  const message = result.message ? `<pre class="message">${html(result.message)}</pre>` : ''
  const expected = result.expectedReason ? `<p>Expected failure: ${html(result.expectedReason)}</p>` : ''
  const failed = result.failedRequirements?.length ? `<p>Failed: ${result.failedRequirements.join(', ')}</p>` : ''
  const transcript = result.transcript?.length ? `<h4>Transcript</h4>${result.transcript.map(entryBlock).join('')}` : ''
  return `<details class="case" id="${anchor}" data-status="${result.status}"${open}><summary><span class="badge ${result.status}">${STATUS_LABELS[result.status]}</span> ${html(result.fullName)} <span class="meta">${html(result.file)} · ${result.level} · ${result.durationMs} ms</span></summary>${failed}${expected}${message}${transcript}</details>`
}

function entryBlock(entry: TranscriptEntry): string {
  const request = [`${entry.method} ${entry.url}`, ...headerLines(entry.requestHeaders), ...(entry.requestBody ? ['', entry.requestBody] : [])]
  const response = entry.error
    ? [`no response: ${entry.error}`]
    : [`${entry.status} (${entry.durationMs} ms)`, ...headerLines(entry.responseHeaders ?? {}), ...(entry.responseBody ? ['', entry.responseBody] : [])]
  return `<pre class="request">${html(request.join('\n'))}</pre><pre class="response">${html(response.join('\n'))}</pre>`
}

function headerLines(headers: Record<string, string>): string[] {
  return Object.entries(headers).map(([name, value]) => `${name}: ${value}`)
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}
