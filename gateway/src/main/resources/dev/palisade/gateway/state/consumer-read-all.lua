-- Every admin-made consumer at one instant, for a replica's resync.
-- KEYS: 1 set of names, 2 version counter, 3 epoch
-- ARGV: 1 the prefix of a consumer's hash (its name follows); same hash tag as KEYS
-- Returns {counter, epoch ('' if none), name, version, json, name, version, json, ...}
local out = {redis.call('GET', KEYS[2]) or '0', redis.call('GET', KEYS[3]) or ''}
for _, name in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local v = redis.call('HMGET', ARGV[1] .. name, 'version', 'data')
  if v[1] and v[2] then
    table.insert(out, name)
    table.insert(out, v[1])
    table.insert(out, v[2])
  end
end
return out
