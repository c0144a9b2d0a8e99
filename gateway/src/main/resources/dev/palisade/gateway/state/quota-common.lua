-- Shared by the quota scripts (reserve, settle, lease, lease-flush): LuaScript prepends this file
-- to each, because a Redis script cannot load another one.
-- KEYS: 1 day window, 2 month window, 3 minute window, 4 lease expiries (zset), 5 leases (hash)

-- Gives back what one lease record ("tokens|day key|month key|minute key") still reserves.
local function release(lease)
  local tokens, d, m, i = string.match(lease, '^(%d+)|([^|]*)|([^|]*)|([^|]*)$')
  if tokens then
    for _, k in ipairs({d, m, i}) do
      if redis.call('EXISTS', k) == 1 then
        redis.call('HINCRBY', k, 'reserved', -tonumber(tokens))
      end
    end
  end
end

-- Gives back the leases that expired by `now` (their replica died before settling). Bounded per
-- call so one script never runs long; the next call continues.
local function give_back_expired(now)
  local expired = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, 100)
  for _, id in ipairs(expired) do
    local lease = redis.call('HGET', KEYS[5], id)
    if lease then
      release(lease)
      redis.call('HDEL', KEYS[5], id)
    end
    redis.call('ZREM', KEYS[4], id)
  end
end

-- Tokens counted in a window: used plus reserved.
local function total(k)
  local v = redis.call('HMGET', k, 'used', 'reserved')
  return (tonumber(v[1]) or 0) + (tonumber(v[2]) or 0)
end

-- Moves a settlement into the day, month and minute windows (KEYS 1-3): `reserved` tokens stop
-- being reserved and `used` tokens are counted as used. A window that has ended (its key expired)
-- is not recreated.
local function settle_windows(reserved, used)
  for n = 1, 3 do
    if redis.call('EXISTS', KEYS[n]) == 1 then
      if reserved > 0 then redis.call('HINCRBY', KEYS[n], 'reserved', -reserved) end
      if used > 0 then redis.call('HINCRBY', KEYS[n], 'used', used) end
    end
  end
end
