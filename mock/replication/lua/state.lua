-- Shared by the scripts that change or read the replicated state (prepended to each).
-- Key layout, all under the prefix P (ARGV[1]):
--   P..'meta'        hash: generation, options, signing key (written once, by the seeding commit)
--   P..'head'        the sequence number of the last log entry
--   P..'log'         list of the latest log entries, JSON {"i": [items written], "o": [ops]}
--   P..'t:'..T       hash per keyed table: key -> "<ordinal>|<row JSON>" (ordinal: insertion order)
--   P..'n:'..T       the table's ordinal counter
--   P..'r:'..D       hash per dataset of records: id -> StoredRecord JSON (ordered by its seq)
--   P..'rsets'       set of datasets that have records
--   P..'f:'          the same tables and records as the shared fixture snapshot (f:t:T, f:r:D, f:rsets)
--   P..'seq'         the store's sequence counter; P..'clock' the control clock's offset (ms)
--   P..'rl:epoch'    rate-limit windows live under P..'rl:'..epoch..':'..id; clearing bumps the epoch
local P = ARGV[1]

local function entries_after(cursor, head)
  local behind = head - cursor
  if behind <= 0 then return {} end
  return redis.call('LRANGE', P .. 'log', -behind, -1)
end

-- 'gone' when the store is not the one this replica joined (wiped, or re-seeded since), or
-- has fewer entries than the replica already applied (it lost acknowledged changes);
-- 'resync' when the entries the replica lacks are no longer in the capped log.
local function position(cursor, generation)
  if (redis.call('HGET', P .. 'meta', 'generation') or '') ~= generation then return 'gone' end
  local head = tonumber(redis.call('GET', P .. 'head') or '0')
  if head < cursor then return 'gone' end
  if head - cursor > redis.call('LLEN', P .. 'log') then return 'resync', head end
  return 'ok', head
end
