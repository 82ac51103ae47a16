-- Lets a lock (key ARGV[2]) go only while it is still this process's (token ARGV[3]): a lock
-- that ran out while its holder was slow may have been taken by another replica since, and
-- deleting that one would let a third seed over it.
if redis.call('GET', ARGV[2]) == ARGV[3] then return redis.call('DEL', ARGV[2]) end
return 0
