// Rate-limit windows every replica counts in: one Lua script decides and counts atomically
// in Redis (lua/rate-windows.lua, the memory windows' rule), so a limit is global — the
// request after the limit, counted over all replicas, is refused. A change that is run
// again (its commit met another replica's) does not count again: its hits are kept for the
// request's later attempts.
import type { RateWindows, WindowHit, WindowState, WindowTarget } from '../domain/rate-limiter.ts'
import { SCRIPTS, type RedisLink } from './redis-link.ts'
import type { WriterSlot } from './transaction.ts'

function args(targets: readonly WindowTarget[]): string[] {
  return targets.flatMap((target) => [
    target.id,
    String(target.endsIfOpened),
    Number.isFinite(target.refuseAt) ? String(target.refuseAt) : '-',
    String(target.graceMs),
  ])
}

function parse(reply: unknown): { refused: number; windows: WindowState[]; window?: WindowState } {
  const [state, ...rest] = reply as [string, ...number[]]
  if (state === 'refused') {
    const [index, count, endsAt] = rest as [number, number, number]
    return { refused: index - 1, windows: [], window: { count, endsAt } }
  }
  const windows: WindowState[] = []
  for (let at = 0; at < rest.length; at += 2) windows.push({ count: rest[at]!, endsAt: rest[at + 1]! })
  return { refused: -1, windows }
}

export function createSharedWindows(link: RedisLink, slot: WriterSlot): RateWindows {
  return {
    hit(targets, now) {
      const memo = slot.writer?.memo
      const key = `hit ${targets.map((target) => target.id).join(' ')}`
      const kept = memo?.get(key) as Promise<WindowHit> | undefined
      if (kept !== undefined) return kept
      const counted = link.run(SCRIPTS.rateWindows, ['hit', String(now), ...args(targets)]).then((reply): WindowHit => {
        const { refused, windows, window } = parse(reply)
        return refused >= 0 ? { refused, window: window! } : { refused: -1, windows }
      })
      memo?.set(key, counted)
      return counted
    },
    async peek(targets, now, open) {
      const { refused, window } = parse(await link.run(SCRIPTS.rateWindows, [open ? 'peek-open' : 'peek', String(now), ...args(targets)]))
      return refused >= 0 ? { refused, window: window! } : { refused: -1 }
    },
    // Ended windows expire in Redis by themselves.
    sweep: () => undefined,
    clear() {
      const txn = slot.writer
      if (txn === null) throw new Error('rate-limit windows cleared outside a change')
      txn.op(() => ['L'])
    },
    size: undefined,
  }
}
