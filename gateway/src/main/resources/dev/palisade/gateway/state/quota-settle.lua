-- Replaces a reservation with the tokens really used, atomically.
-- KEYS: 1 day window, 2 month window, 3 minute window (those of the reservation),
--       4 lease expiries (zset), 5 leases (hash)
-- ARGV: 1 reservation id, 2 tokens used
-- A lease that already expired was given back by quota-reserve.lua: only the usage is added.
-- A window that has ended (its key expired) is not recreated.
-- Returns 1 if the lease was still held, 0 if it had expired.
local lease = redis.call('HGET', KEYS[5], ARGV[1])
local reserved = 0
if lease then
  reserved = tonumber(string.match(lease, '^(%d+)|')) or 0
  redis.call('HDEL', KEYS[5], ARGV[1])
  redis.call('ZREM', KEYS[4], ARGV[1])
end
local used = tonumber(ARGV[2])
settle_windows(reserved, used)
if lease then return 1 end
return 0
