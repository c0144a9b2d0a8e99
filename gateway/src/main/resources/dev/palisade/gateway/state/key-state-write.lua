-- Writes one provider key's health and tells the other replicas, in one round trip.
-- KEYS: 1 the key's state
-- ARGV: 1 encoded state ('' = healthy: delete), 2 expire at (ms, 0 = never), 3 channel, 4 message
if ARGV[1] == '' then
  redis.call('DEL', KEYS[1])
elseif tonumber(ARGV[2]) > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1])
end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
