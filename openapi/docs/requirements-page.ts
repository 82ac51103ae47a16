/**
 * The requirement catalogue as one self-contained HTML page: a table per area with the
 * level, the rule, its source and links to the operations that name it in x-requirements.
 * Each requirement row has id="<requirement id>", so the API reference links straight to it.
 */
import { REQUIREMENT_AREAS, type Operation, type Requirement } from '../contract.ts';

const AREA_TITLES: Record<(typeof REQUIREMENT_AREAS)[number], string> = {
  discovery: 'Discovery',
  auth: 'Auth',
  sessions: 'Sessions and users',
  keys: 'Keys',
  permissions: 'Permissions',
  errors: 'Errors, limits and conformance',
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

export interface RequirementsPageInput {
  requirements: readonly Requirement[];
  operations: readonly Operation[];
  /** href of an operation in the API reference page. */
  operationHref: (op: Operation) => string;
  referenceFile: string;
}

function operationLinks(req: Requirement, input: RequirementsPageInput): string {
  const naming = input.operations.filter((op) => op.requirements.includes(req.id));
  if (naming.length === 0) return '<span class="none">none</span>';
  return naming
    .map(
      (op) =>
        `<a class="op" href="${escapeHtml(input.operationHref(op))}">` +
        `<code>${op.method.toUpperCase()} ${escapeHtml(op.path)}</code> ${escapeHtml(op.operationId)}</a>`,
    )
    .join('<br>');
}

function row(req: Requirement, input: RequirementsPageInput): string {
  return `<tr id="${req.id}">
<td class="id"><a href="#${req.id}">${req.id}</a></td>
<td><span class="level ${req.level.toLowerCase()}">${req.level}</span></td>
<td><strong>${escapeHtml(req.title)}</strong><br>${escapeHtml(req.text)}<div class="source">${escapeHtml(req.source)}</div></td>
<td>${operationLinks(req, input)}</td>
</tr>`;
}

function areaSection(area: (typeof REQUIREMENT_AREAS)[number], input: RequirementsPageInput): string {
  const reqs = input.requirements.filter((r) => r.area === area);
  const must = reqs.filter((r) => r.level === 'MUST').length;
  return `<section id="area-${area}">
<h2>${AREA_TITLES[area]} <small>${reqs.length} requirements, ${must} MUST, ${reqs.length - must} SHOULD</small></h2>
<table>
<thead><tr><th>ID</th><th>Level</th><th>Requirement</th><th>Operations</th></tr></thead>
<tbody>
${reqs.map((r) => row(r, input)).join('\n')}
</tbody>
</table>
</section>`;
}

export function renderRequirementsPage(input: RequirementsPageInput): string {
  const nav = REQUIREMENT_AREAS.map((a) => `<a href="#area-${a}">${AREA_TITLES[a]}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>authconform requirement catalogue</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 80rem; padding: 0 1rem; color: #1d1d1f; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; }
th, td { border-bottom: 1px solid #ddd; padding: .5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f6; }
td.id { white-space: nowrap; font-family: ui-monospace, monospace; }
tr:target { background: #fff6d6; }
.level { font-size: .8rem; font-weight: 700; padding: .1rem .4rem; border-radius: .3rem; }
.level.must { background: #fde2e1; color: #8a1c1c; }
.level.should { background: #e3eefc; color: #1c4a8a; }
.source { color: #666; font-size: .85rem; margin-top: .3rem; }
a.op { text-decoration: none; white-space: nowrap; }
.none { color: #999; }
h2 small { font-weight: normal; color: #666; font-size: .9rem; }
</style>
</head>
<body>
<h1>authconform requirement catalogue</h1>
<p>${input.requirements.length} numbered requirements (RFC 2119: a MUST failure fails
<code>verify</code>, a SHOULD failure is a warning) for what the OpenAPI schemas cannot express.
Each links to the operations whose <code>x-requirements</code> name it in the
<a href="${escapeHtml(input.referenceFile)}">API reference</a>.</p>
<nav>${nav}</nav>
${REQUIREMENT_AREAS.map((a) => areaSection(a, input)).join('\n')}
</body>
</html>
`;
}
