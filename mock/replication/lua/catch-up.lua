-- ARGV: prefix, cursor (the last entry the replica applied), generation.
-- Returns {'ok', head, entries after cursor} | {'resync', head} | {'gone'}.
local cursor, generation = tonumber(ARGV[2]), ARGV[3]
local state, head = position(cursor, generation)
if state ~= 'ok' then return {state, head} end
return {'ok', head, entries_after(cursor, head)}
