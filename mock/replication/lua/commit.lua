-- Commits one transaction of a replica when no entry after its start wrote an item it read.
-- ARGV: prefix, start (the last entry its reads reflect), generation, items read (JSON
-- array), the entry (JSON {"i": [items written], "o": [ops]}), the log's cap.
-- Returns {'ok', seq, entries between start and seq} | {'conflict', head, entries after
-- start} | {'resync', head} | {'gone'}.
local start, generation, cap = tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[6])
local state, head = position(start, generation)
if state ~= 'ok' then return {state, head} end
local missing = entries_after(start, head)
if #missing > 0 then
  local read = {}
  for _, item in ipairs(cjson.decode(ARGV[4])) do read[item] = true end
  for _, raw in ipairs(missing) do
    for _, item in ipairs(cjson.decode(raw).i) do
      if read[item] then return {'conflict', head, missing} end
    end
  end
end

local function copy(from, to)
  redis.call('DEL', to)
  if redis.call('EXISTS', from) == 1 then redis.call('COPY', from, to) end
end

-- records: every dataset's hash plus the set naming them; others: one hash
local function copy_table(name, from, to)
  if name ~= 'records' then return copy(from .. 't:' .. name, to .. 't:' .. name) end
  for _, dataset in ipairs(redis.call('SMEMBERS', to .. 'rsets')) do redis.call('DEL', to .. 'r:' .. dataset) end
  for _, dataset in ipairs(redis.call('SMEMBERS', from .. 'rsets')) do copy(from .. 'r:' .. dataset, to .. 'r:' .. dataset) end
  copy(from .. 'rsets', to .. 'rsets')
end

local function clear_table(name)
  if name ~= 'records' then return redis.call('DEL', P .. 't:' .. name) end
  for _, dataset in ipairs(redis.call('SMEMBERS', P .. 'rsets')) do redis.call('DEL', P .. 'r:' .. dataset) end
  redis.call('DEL', P .. 'rsets')
end

for _, op in ipairs(cjson.decode(ARGV[5]).o) do
  local kind = op[1]
  if kind == 'p' then
    local rows = P .. 't:' .. op[2]
    local stored = redis.call('HGET', rows, op[3])
    local ordinal = stored and string.sub(stored, 1, string.find(stored, '|', 1, true) - 1)
      or redis.call('INCR', P .. 'n:' .. op[2])
    redis.call('HSET', rows, op[3], ordinal .. '|' .. op[4])
  elseif kind == 'd' then redis.call('HDEL', P .. 't:' .. op[2], op[3])
  elseif kind == 'c' then clear_table(op[2])
  elseif kind == 'ri' or kind == 'rr' then
    redis.call('HSET', P .. 'r:' .. op[2], op[3], op[4])
    redis.call('SADD', P .. 'rsets', op[2])
  elseif kind == 'rd' then redis.call('HDEL', P .. 'r:' .. op[2], op[3])
  elseif kind == 'rx' then
    redis.call('DEL', P .. 'r:' .. op[2])
    redis.call('SREM', P .. 'rsets', op[2])
  elseif kind == 'q' then redis.call('SET', P .. 'seq', op[2])
  elseif kind == 'k' then redis.call('SET', P .. 'clock', op[2])
  elseif kind == 'S' then for i = 2, #op do copy_table(op[i], P, P .. 'f:') end
  elseif kind == 'R' then for i = 2, #op do copy_table(op[i], P .. 'f:', P) end
  elseif kind == 'L' then redis.call('INCR', P .. 'rl:epoch')
  elseif kind == 'M' then redis.call('HSET', P .. 'meta', unpack(op, 2))
  else return redis.error_reply('unknown op ' .. tostring(kind)) end
end

local seq = head + 1
redis.call('RPUSH', P .. 'log', ARGV[5])
redis.call('LTRIM', P .. 'log', -cap, -1)
redis.call('SET', P .. 'head', seq)
return {'ok', seq, missing}
