// `tsx bench/profile-summary.ts FILE.cpuprofile [N]`: the N functions with the most self
// time in a V8 CPU profile (from `npm run bench -- --profile` or node --cpu-prof), with
// their share of the sampled time — enough to see what dominates without DevTools.
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { table } from './report.ts'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export function selfTimes(profile: Profile): { where: string; ms: number; share: number }[] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const byFrame = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0
    const frame = nodes.get(id)?.callFrame
    if (frame === undefined) return
    const file = frame.url === '' ? '' : relative(process.cwd(), frame.url.replace(/^file:\/\//, ''))
    const where = `${frame.functionName || '(anonymous)'} ${file}${file === '' ? '' : `:${frame.lineNumber + 1}`}`.trim()
    byFrame.set(where, (byFrame.get(where) ?? 0) + delta)
    total += delta
  })
  return [...byFrame.entries()]
    .map(([where, micros]) => ({ where, ms: micros / 1000, share: micros / total }))
    .sort((a, b) => b.ms - a.ms)
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const [file, count = '25'] = process.argv.slice(2)
  if (file === undefined) {
    process.stderr.write('usage: tsx bench/profile-summary.ts FILE.cpuprofile [N]\n')
    process.exitCode = 2
  } else {
    const rows = selfTimes(JSON.parse(readFileSync(file, 'utf8')) as Profile).slice(0, Number(count))
    process.stdout.write(`${table(['function', 'self ms', 'share'], rows.map((row) => [row.where, row.ms, `${(row.share * 100).toFixed(1)} %`]))}\n`)
  }
}
