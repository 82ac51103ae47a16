-- Empties the prefix for a first seeding, when no meta says a mock lives here; keeps the
-- seeding lock (ARGV[2]) of the process that runs it.
if redis.call('EXISTS', P .. 'meta') == 1 then return 0 end
for _, key in ipairs(redis.call('KEYS', P .. '*')) do
  if key ~= ARGV[2] then redis.call('DEL', key) end
end
return 1
