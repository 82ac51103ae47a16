/**
 * Kept list answers. A page of a list is decided by exactly these, and nothing else:
 * - the dataset's records, through their version in the store (`records.version`, which
 *   every insert, replace, delete, drop and restore changes, here or — replayed into the
 *   local tables — in another process sharing the store);
 * - the caller's granting policies: a frozen list that the policies and permissions modules
 *   keep per set of subject keys while the policy table's version stays, so a policy written
 *   or a user's namespaces changed gives a different list object, hence another key (under
 *   role grants, one of roles.ts's shared lists, picked by the caller's grant as stored);
 * - the caller's id, where an owner filter of those policies reads it;
 * - the query: dataset, limit, cursor.
 * A page computed once answers every later request with the same deciders, until one of
 * them changes — by mechanism, not by anyone remembering to clear. Authentication (a key
 * revoked, a token revoked or expired, the clock moved) and the rate limit run before, on
 * every request. What can only hold while the default rules decide (compiled policies, the
 * listing and effective-policy seams) is the caller's to say: `enabled`.
 *
 * Bounded: at most `maxEntries` pages holding at most `maxItems` records between them
 * (references to the stored records, not copies); past either, the oldest pages go first.
 */
import type { Policy, RecordPage } from './contract.ts'
import { isOwnerFilter } from './evaluator.ts'

export interface KeptListLimits {
  maxEntries: number
  maxItems: number
}

/** About 5 MiB of heap at the caps (measured in the lists benchmark, BENCHMARKS.md). */
export const KEPT_LIST_LIMITS: KeptListLimits = { maxEntries: 10_000, maxItems: 200_000 }

export interface ListQuery {
  dataset: string
  /** null: an admin, whom no policy filters. */
  granted: readonly Policy[] | null
  callerId: string
  limit: number
  cursor: string | null | undefined
}

interface KeptPage {
  /** The dataset's records version the page was computed at. */
  version: number
  page: RecordPage
}

/** What a granting list contributes to a key: a number for its identity, and whether an owner filter reads the caller. */
interface GrantingKey {
  id: number
  readsOwner: boolean
}

export interface KeptLists {
  /** The kept page for `query`, or `compute()`'s, kept (frozen) when it may be. */
  page(query: ListQuery, compute: () => RecordPage): RecordPage
  /** The kept page for `query` when there is one still current; changes nothing. */
  peek(query: ListQuery): RecordPage | undefined
  readonly size: number
  readonly items: number
}

export function createKeptLists(
  { version, enabled }: { version: (dataset: string) => number; enabled: boolean },
  limits: KeptListLimits = KEPT_LIST_LIMITS,
): KeptLists {
  const pages = new Map<string, KeptPage>()
  let items = 0
  /** Granting lists are frozen and shared while they decide (policies.ts, permissions.ts); a WeakMap lets old ones go. */
  const grantingKeys = new WeakMap<readonly Policy[], GrantingKey>()
  let nextGrantingId = 1
  const ADMIN: GrantingKey = { id: 0, readsOwner: false }

  function grantingKey(granted: readonly Policy[] | null): GrantingKey | undefined {
    if (granted === null) return ADMIN
    let key = grantingKeys.get(granted)
    if (key !== undefined) return key
    // A list that may still change is no key: its answers are computed afresh.
    if (!Object.isFrozen(granted)) return undefined
    key = { id: nextGrantingId++, readsOwner: granted.some((policy) => policy.filters.some(isOwnerFilter)) }
    grantingKeys.set(granted, key)
    return key
  }

  function forget(key: string, kept: KeptPage): void {
    pages.delete(key)
    items -= kept.page.items.length
  }

  function keep(key: string, kept: KeptPage): void {
    pages.set(key, kept)
    items += kept.page.items.length
    // Oldest first (insertion order), until both limits hold again.
    for (const [oldest, entry] of pages) {
      if (pages.size <= limits.maxEntries && items <= limits.maxItems) break
      forget(oldest, entry)
    }
  }

  function keyOf(query: ListQuery): string | undefined {
    const granting = enabled ? grantingKey(query.granted) : undefined
    if (granting === undefined) return undefined
    const owner = granting.readsOwner ? query.callerId : ''
    return `${granting.id}\u0000${owner}\u0000${query.dataset}\u0000${query.limit}\u0000${query.cursor ?? ''}`
  }

  return {
    peek(query) {
      const key = keyOf(query)
      const kept = key === undefined ? undefined : pages.get(key)
      return kept !== undefined && kept.version === version(query.dataset) ? kept.page : undefined
    },
    page(query, compute) {
      const key = keyOf(query)
      if (key === undefined) return compute()
      const current = version(query.dataset)
      const kept = pages.get(key)
      if (kept !== undefined) {
        if (kept.version === current) return kept.page
        forget(key, kept)
      }
      // Frozen: the same page answers many requests (and the HTTP layer keeps its body beside it).
      const page = compute()
      Object.freeze(page.items)
      Object.freeze(page)
      if (page.items.length <= limits.maxItems) keep(key, { version: current, page })
      return page
    },
    get size() {
      return pages.size
    },
    get items() {
      return items
    },
  }
}
