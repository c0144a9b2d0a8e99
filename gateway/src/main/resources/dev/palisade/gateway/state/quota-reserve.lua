-- Reserves tokens for one request in one atomic step: give back the leases of reservations
-- that were never settled (their replica died), check every limit, then count the request.
-- KEYS: 1 day window, 2 month window, 3 minute window, 4 lease expiries (zset), 5 leases (hash)
-- ARGV: 1 now (ms), 2 lease length (ms), 3 reservation id, 4 tokens,
--       5 tokens/day, 6 tokens/month, 7 requests/minute, 8 tokens/minute (-1: no limit),
--       9 day window end (ms), 10 month window end (ms), 11 minute window end (ms)
-- Returns {1, ''} when granted, {0, limit name} when refused.
local now = tonumber(ARGV[1])

-- release, give_back_expired and total come from quota-common.lua (prepended).
give_back_expired(now)

local function over(limit, value)
  local l = tonumber(limit)
  return l >= 0 and value > l
end

local tokens = tonumber(ARGV[4])
local requests = tonumber(redis.call('HGET', KEYS[3], 'requests')) or 0
if over(ARGV[7], requests + 1) then return {0, 'requests_per_minute'} end
if over(ARGV[8], total(KEYS[3]) + tokens) then return {0, 'tokens_per_minute'} end
if over(ARGV[5], total(KEYS[1]) + tokens) then return {0, 'tokens_per_day'} end
if over(ARGV[6], total(KEYS[2]) + tokens) then return {0, 'tokens_per_month'} end

redis.call('HINCRBY', KEYS[3], 'requests', 1)
local ends = {ARGV[9], ARGV[10], ARGV[11]}
for n = 1, 3 do
  redis.call('HINCRBY', KEYS[n], 'reserved', tokens)
  redis.call('PEXPIREAT', KEYS[n], ends[n])
end
local lease_ms = tonumber(ARGV[2])
redis.call('HSET', KEYS[5], ARGV[3], ARGV[4] .. '|' .. KEYS[1] .. '|' .. KEYS[2] .. '|' .. KEYS[3])
redis.call('ZADD', KEYS[4], now + lease_ms, ARGV[3])
-- The lease records outlive the longest lease, then vanish with an idle consumer.
redis.call('PEXPIRE', KEYS[4], 2 * lease_ms)
redis.call('PEXPIRE', KEYS[5], 2 * lease_ms)
return {1, ''}
