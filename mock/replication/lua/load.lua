-- The whole replicated state at one instant, for a replica that joins or fell too far behind.
-- ARGV: prefix, then the keyed tables' names.
-- Returns {head, generation, seq, clock offset, {table rows...} per table, {dataset, rows}...,
-- the same two for the fixture snapshot}.
local function tables(at)
  local out = {}
  for i = 2, #ARGV do out[#out + 1] = redis.call('HVALS', at .. 't:' .. ARGV[i]) end
  local records = {}
  for _, dataset in ipairs(redis.call('SMEMBERS', at .. 'rsets')) do
    records[#records + 1] = dataset
    records[#records + 1] = redis.call('HVALS', at .. 'r:' .. dataset)
  end
  out[#out + 1] = records
  return out
end
return {
  tonumber(redis.call('GET', P .. 'head') or '0'),
  redis.call('HGET', P .. 'meta', 'generation') or '',
  redis.call('GET', P .. 'seq') or '0',
  redis.call('GET', P .. 'clock') or '0',
  tables(P),
  tables(P .. 'f:'),
}
