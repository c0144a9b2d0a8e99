-- Creates, replaces or deletes one admin-made consumer, if nobody changed it since it was read.
-- KEYS: 1 the consumer's hash, 2 key-hash index (hash: sha256 -> name), 3 set of names,
--       4 version counter (every write of any consumer takes the next number),
--       5 epoch (a random id set by the first write: a different one means Redis lost its data)
-- ARGV: 1 name, 2 expected version ('0' = must not exist, '*' = any existing),
--       3 the consumer's JSON ('' = delete), 4 its key hashes separated by spaces,
--       5 channel, 6 replica id, 7 a new random epoch, used if there is none
-- Returns {'ok', version, epoch} | {'stale', current version} | {'missing'} | {'taken', key hash}
local current = redis.call('HGET', KEYS[1], 'version')
if ARGV[2] == '*' then
  if not current then return {'missing'} end
elseif (current or '0') ~= ARGV[2] then
  return {'stale', current or '0'}
end
local wanted = {}
for h in string.gmatch(ARGV[4], '%S+') do
  local holder = redis.call('HGET', KEYS[2], h)
  if holder and holder ~= ARGV[1] then return {'taken', h} end
  wanted[h] = true
end
local old = redis.call('HGET', KEYS[1], 'keys') or ''
for h in string.gmatch(old, '%S+') do
  if not wanted[h] and redis.call('HGET', KEYS[2], h) == ARGV[1] then redis.call('HDEL', KEYS[2], h) end
end
redis.call('SET', KEYS[5], ARGV[7], 'NX')
local version = redis.call('INCR', KEYS[4])
if ARGV[3] == '' then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[3], ARGV[1])
else
  redis.call('HSET', KEYS[1], 'version', version, 'data', ARGV[3], 'keys', ARGV[4])
  redis.call('SADD', KEYS[3], ARGV[1])
  for h in pairs(wanted) do redis.call('HSET', KEYS[2], h, ARGV[1]) end
end
local epoch = redis.call('GET', KEYS[5])
redis.call('PUBLISH', ARGV[5], ARGV[6] .. '\n' .. epoch .. '\n' .. version .. '\n' .. ARGV[1] .. '\n' .. ARGV[3])
return {'ok', tostring(version), epoch}
