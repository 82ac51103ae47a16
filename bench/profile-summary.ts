// `tsx bench/profile-summary.ts FILE.cpuprofile [N] [--inclusive] [--after SECONDS]`: the N
// functions with the most self time (or, with --inclusive, time including callees) in a V8
// CPU profile (from `npm run bench -- --profile` or node --cpu-prof), with their share of the
// sampled time — enough to see what dominates without DevTools. --after leaves out the
// first seconds of the profile (start-up: module loading and compilation), so that the
// shares are those of the process under load.
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { parseArgs } from 'node:util'
import { table } from './report.ts'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

type Row = { where: string; ms: number; share: number }

function frameName(node: ProfileNode): string {
  const frame = node.callFrame
  const file = frame.url === '' ? '' : relative(process.cwd(), frame.url.replace(/^file:\/\//, ''))
  return `${frame.functionName || '(anonymous)'} ${file}${file === '' ? '' : `:${frame.lineNumber + 1}`}`.trim()
}

/**
 * Time per function: self (the sampled frame only) or inclusive (every function on the
 * sampled stack, once per sample even when recursive). Shares are of the non-idle time.
 */
export function functionTimes(profile: Profile, mode: 'self' | 'inclusive', afterMicros = 0): Row[] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const parents = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id)
  const totals = new Map<string, number>()
  let busy = 0
  let elapsed = 0
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0
    elapsed += delta
    const node = nodes.get(id)
    if (elapsed < afterMicros || node === undefined || node.callFrame.functionName === '(idle)') return
    busy += delta
    const names = new Set<string>()
    for (let current: number | undefined = id; current !== undefined; current = mode === 'self' ? undefined : parents.get(current)) {
      const frame = nodes.get(current)
      if (frame !== undefined && frame.callFrame.functionName !== '(root)') names.add(frameName(frame))
    }
    for (const name of names) totals.set(name, (totals.get(name) ?? 0) + delta)
  })
  return [...totals.entries()].map(([where, micros]) => ({ where, ms: micros / 1000, share: micros / busy })).sort((a, b) => b.ms - a.ms)
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { inclusive: { type: 'boolean' }, after: { type: 'string', default: '0' } },
  })
  const mode = values.inclusive === true ? 'inclusive' : 'self'
  const [file, count = '25'] = positionals
  const after = Number(values.after)
  if (file === undefined || !Number.isFinite(after) || after < 0) {
    process.stderr.write('usage: tsx bench/profile-summary.ts FILE.cpuprofile [N] [--inclusive] [--after SECONDS]\n')
    process.exitCode = 2
  } else {
    const rows = functionTimes(JSON.parse(readFileSync(file, 'utf8')) as Profile, mode, after * 1e6).slice(0, Number(count))
    const header = ['function', `${mode} ms`, 'share of busy time']
    process.stdout.write(`${table(header, rows.map((row) => [row.where, row.ms, `${(row.share * 100).toFixed(1)} %`]))}\n`)
  }
}
