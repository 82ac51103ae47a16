-- Counts a request against its rate-limit windows, atomically for every replica: the same
-- rule as the memory windows (mock/domain/rate-limiter.ts). A window is live while
-- now < its end + the target's grace; when the live window of some target has reached that
-- target's refuse-at count, nothing is counted and that target is answered; otherwise every
-- target counts one hit, a new window opening (ending where the target says) where none is
-- live. 'peek' counts nothing; 'peek-open' opens (with no hit) the windows that are not live.
-- ARGV: prefix, 'hit' | 'peek' | 'peek-open', now (ms), then per target: id, end if opened
-- (ms), refuse-at ('-' for never), grace (ms).
-- Returns {'refused', index (1-based), count, ends at} | {'ok', count1, ends1, count2, ends2, ...}.
local mode, now = ARGV[2], tonumber(ARGV[3])
local epoch = redis.call('GET', P .. 'rl:epoch') or '0'
local targets = {}
for i = 4, #ARGV, 4 do
  local key = P .. 'rl:' .. epoch .. ':' .. ARGV[i]
  local window = redis.call('HMGET', key, 'c', 'e', 'g')
  local count, ends, grace = tonumber(window[1]), tonumber(window[2]), tonumber(window[3])
  if ends == nil or now >= ends + (grace or 0) then count, ends = nil, nil end
  if count ~= nil and ARGV[i + 2] ~= '-' and count >= tonumber(ARGV[i + 2]) then
    return {'refused', #targets + 1, count, ends}
  end
  targets[#targets + 1] = {key = key, opens = tonumber(ARGV[i + 1]), grace = tonumber(ARGV[i + 3]), count = count, ends = ends}
end
if mode == 'peek' then return {'ok'} end
local out = {'ok'}
for _, target in ipairs(targets) do
  if target.count == nil then
    target.count, target.ends = (mode == 'hit') and 1 or 0, target.opens
    redis.call('HSET', target.key, 'c', target.count, 'e', string.format('%d', target.ends), 'g', target.grace)
    -- Expiry only reclaims memory: the mock's clock may run ahead of Redis's, so the window's
    -- end is its 'e', never the key's TTL, which is generous.
    redis.call('PEXPIRE', target.key, target.ends + target.grace - now + 3600000)
  elseif mode == 'hit' then
    target.count = redis.call('HINCRBY', target.key, 'c', 1)
  end
  out[#out + 1] = target.count
  out[#out + 1] = target.ends
end
return out
