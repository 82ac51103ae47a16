/**
 * The built-in profiles as one page of the contract documentation (profiles.html, beside
 * the API reference and the requirement catalogue): for each, contract operation → wire
 * call, its compositions, and the requirements it leaves not applicable — those that assume
 * what the profile says its system does not do, and those whose every operation it leaves
 * unmapped. A verify run says the rest case by case (what a case could not express).
 *
 *   renderProfilesPage()  → the HTML (the mock serves it at /docs/profiles.html)
 *   npm run docs          → also writes reports/docs/profiles.html
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { requirements, type Requirement } from '../../openapi/contract.ts'
import { escapeHtml } from '../../openapi/docs/requirements-page.ts'
import { unmetAssumptions } from '../applicability.ts'
import { contractOperations, type ContractOperation } from '../contract-operations.ts'
import { builtInProfiles } from '../load-profile.ts'
import { profileNamed, type Profile } from '../profile.ts'

export const PROFILES_FILE = 'profiles.html'
const REQUIREMENTS_FILE = 'requirements.html'

/** The contract operations a profile maps (the control extension is everyone's, and not shown). */
function operationsShown(): ContractOperation[] {
  return contractOperations().filter((operation) => !operation.tags.includes('control'))
}

function wireCell(profile: Profile, operation: ContractOperation): string {
  const route = profile.route(operation.operationId)
  if (route.kind === 'contract') return `<code>${operation.method.toUpperCase()} ${escapeHtml(operation.path)}</code> <span class="muted">(the contract's own)</span>`
  if (route.kind === 'unmapped') return `<span class="unmapped">not mapped</span> — ${escapeHtml(route.reason)}`
  const note = route.call.note ? `<br><span class="muted">${escapeHtml(route.call.note)}</span>` : ''
  return `<code>${route.call.method} ${escapeHtml(route.call.template.text)}</code>${note}`
}

/** Requirements none of whose operations the profile maps: nothing of them can be said on its wire. */
export function unmappedRequirements(profile: Profile, catalogue: readonly Requirement[]): Map<string, string[]> {
  const unmapped = new Map<string, string[]>()
  for (const requirement of catalogue) {
    const naming = operationsShown().filter((operation) => operation.requirements.includes(requirement.id))
    if (naming.length > 0 && naming.every((operation) => profile.route(operation.operationId).kind === 'unmapped')) {
      unmapped.set(requirement.id, naming.map((operation) => operation.operationId))
    }
  }
  return unmapped
}

function requirementLink(requirement: Requirement): string {
  return `<a href="${REQUIREMENTS_FILE}#${requirement.id}">${requirement.id}</a> ${escapeHtml(requirement.title)}`
}

function profileSection(profile: Profile): string {
  const { document } = profile
  const semantics = Object.entries(profile.semantics).map(([option, value]) => `<code>${option}: ${escapeHtml(String(value))}</code>`).join(' · ')
  const rows = operationsShown().map((operation) => `<tr><td><code>${operation.operationId}</code></td><td>${wireCell(profile, operation)}</td></tr>`)
  const compositions = profile.compositions.map(
    (composed) => `<tr><td><code>${composed.method} ${escapeHtml(composed.template.text)}</code>${composed.note ? `<br><span class="muted">${escapeHtml(composed.note)}</span>` : ''}</td><td>${composed.steps.map((step) => `<code>${step.call.operationId}</code>${step.each !== undefined ? ` for each element of <code>${escapeHtml(step.each || '(the body)')}</code>` : ''}`).join(', then ')}</td></tr>`,
  )
  const assumed = Object.entries(unmetAssumptions(profile, requirements))
  const unmapped = [...unmappedRequirements(profile, requirements)].filter(([id]) => !assumed.some(([other]) => other === id))
  const byId = new Map(requirements.map((requirement) => [requirement.id, requirement]))
  const naList = [
    ...assumed.map(([id, reason]) => `<tr><td>${requirementLink(byId.get(id)!)}</td><td>${escapeHtml(reason)}</td></tr>`),
    ...unmapped.map(([id, operations]) => `<tr><td>${requirementLink(byId.get(id)!)}</td><td>the profile maps none of its operations (${operations.map((operation) => `<code>${operation}</code>`).join(', ')})</td></tr>`),
  ]
  return `<section id="${escapeHtml(profile.name)}">
<h2>${escapeHtml(profile.title)} <small><code>--profile ${escapeHtml(profile.name)}</code></small></h2>
${document.description ? `<p>${escapeHtml(document.description)}</p>` : ''}
<p class="muted">Source: ${escapeHtml(document.source)} · semantics: ${semantics}</p>
<table>
<thead><tr><th>Contract operation</th><th>Wire call</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
${compositions.length > 0 ? `<h3>Compositions (answered by the mock)</h3><table><thead><tr><th>Wire call</th><th>Contract operations</th></tr></thead><tbody>${compositions.join('\n')}</tbody></table>` : ''}
<h3>Not applicable under ${escapeHtml(profile.name)}: ${naList.length} requirements</h3>
${naList.length > 0 ? `<table><thead><tr><th>Requirement</th><th>Why</th></tr></thead><tbody>${naList.join('\n')}</tbody></table>` : '<p>None: every requirement applies.</p>'}
</section>`
}

export function renderProfilesPage(names: readonly string[] = builtInProfiles()): string {
  const profiles = names.map((name) => profileNamed(name))
  const nav = profiles.map((profile) => `<a href="#${escapeHtml(profile.name)}">${escapeHtml(profile.title)}</a>`).join(' · ')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>authconform profiles</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 80rem; padding: 0 1rem; color: #1d1d1f; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; }
th, td { border-bottom: 1px solid #ddd; padding: .4rem .5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f6; }
.muted { color: #666; font-size: .9rem; }
.unmapped { color: #8a1c1c; font-weight: 600; }
h2 small { font-weight: normal; color: #666; font-size: .9rem; }
section { margin-top: 3rem; }
</style>
</head>
<body>
<h1>authconform profiles</h1>
<p>Each profile maps the contract's operations onto another system's wire format
(<code>authconform mock --profile NAME</code> answers it, <code>authconform verify --profile NAME</code>
checks a target that speaks it). Requirements listed as not applicable are reported so by
every run under the profile; a run also says, case by case, what else a case could not express.
The rules themselves: the <a href="${REQUIREMENTS_FILE}">requirement catalogue</a>.</p>
<nav>${nav}</nav>
${profiles.map(profileSection).join('\n')}
</body>
</html>
`
}

export async function writeProfilesPage(outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true })
  const file = join(outDir, PROFILES_FILE)
  await writeFile(file, renderProfilesPage())
  return file
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = resolve(process.argv[2] ?? join(fileURLToPath(new URL('../..', import.meta.url)), 'reports', 'docs'))
  writeProfilesPage(outDir).then(
    (file) => console.log(`wrote ${file}`),
    (error: unknown) => {
      console.error(`docs: ${error instanceof Error ? error.message : String(error)}`)
      process.exitCode = 1
    },
  )
}
