-- Flushes a replica's local use of a leased block (LeasedQuotaStore), atomically.
-- KEYS: 1 day window, 2 month window, 3 minute window (those of the lease),
--       4 lease expiries (zset), 5 leases (hash)
-- ARGV: 1 lease id, 2 tokens used since the last flush, 3 tokens to release from the lease,
--       4 unused requests to give back to the minute window, 5 1 to end the lease,
--       6 now (ms), 7 lease length (ms)
-- A lease that already expired was given back by a reserve or lease script: only the usage is
-- added. A window that has ended (its key expired) is not recreated.
-- Returns the tokens the lease still holds (-1 if it had expired).
local lease = redis.call('HGET', KEYS[5], ARGV[1])
local used = tonumber(ARGV[2])
local release = 0
local held = -1
if lease then
  held = tonumber(string.match(lease, '^(%d+)|')) or 0
  release = math.min(held, tonumber(ARGV[3]))
  if ARGV[5] == '1' then release = held end
  held = held - release
  if ARGV[5] == '1' then
    redis.call('HDEL', KEYS[5], ARGV[1])
    redis.call('ZREM', KEYS[4], ARGV[1])
  else
    redis.call('HSET', KEYS[5], ARGV[1], held .. '|' .. KEYS[1] .. '|' .. KEYS[2] .. '|' .. KEYS[3])
    redis.call('ZADD', KEYS[4], tonumber(ARGV[6]) + tonumber(ARGV[7]), ARGV[1])
  end
end
settle_windows(release, used)
local back = tonumber(ARGV[4])
if back > 0 and redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('HINCRBY', KEYS[3], 'requests', -back)
end
return held
