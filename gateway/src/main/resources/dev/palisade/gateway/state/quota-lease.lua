-- Leases a block of quota for one replica (LeasedQuotaStore), in one atomic step: give back
-- expired leases (as quota-reserve.lua does), size the block from what remains, reserve it.
-- KEYS: 1 day window, 2 month window, 3 minute window, 4 lease expiries (zset), 5 leases (hash)
-- ARGV: 1 now (ms), 2 lease length (ms), 3 lease id, 4 tokens wanted, 5 requests wanted,
--       6 tokens the waiting request needs at least,
--       7 tokens/day, 8 tokens/month, 9 requests/minute, 10 tokens/minute (-1: no limit),
--       11 day window end (ms), 12 month window end (ms), 13 minute window end (ms),
--       14 share: a block is at most 1/share of what remains under the tightest limit,
--       15 fallback: a block that would hold fewer than this many requests of the waiting
--          one's size (or fewer requests) is not leased
-- Returns {1, tokens, requests} when leased (added to the lease id, created if absent),
-- {2, ''} when what remains is too small to lease: the caller reserves per request instead,
-- so behaviour near a limit is exactly that of quota-reserve.lua.
local now = tonumber(ARGV[1])

-- release, give_back_expired and total come from quota-common.lua (prepended).
give_back_expired(now)

-- What remains under the tightest token limit (nil: none is set).
local remaining = nil
for n, a in ipairs({10, 7, 8}) do
  local l = tonumber(ARGV[a])
  if l >= 0 then
    local key = ({KEYS[3], KEYS[1], KEYS[2]})[n]
    local r = l - total(key)
    if remaining == nil or r < remaining then remaining = r end
  end
end
local wantTokens = tonumber(ARGV[4])
local wantRequests = tonumber(ARGV[5])
local need = tonumber(ARGV[6])
local share = tonumber(ARGV[14])
local fallback = tonumber(ARGV[15])

local tokens = wantTokens
if remaining ~= nil then tokens = math.min(wantTokens, math.floor(remaining / share)) end
if tokens < need * fallback then return {2, ''} end

local requests = wantRequests
local rpm = tonumber(ARGV[9])
if rpm >= 0 then
  local left = rpm - (tonumber(redis.call('HGET', KEYS[3], 'requests')) or 0)
  requests = math.min(wantRequests, math.floor(left / share))
end
if requests < fallback then return {2, ''} end

redis.call('HINCRBY', KEYS[3], 'requests', requests)
local ends = {ARGV[11], ARGV[12], ARGV[13]}
for n = 1, 3 do
  redis.call('HINCRBY', KEYS[n], 'reserved', tokens)
  redis.call('PEXPIREAT', KEYS[n], ends[n])
end
local held = 0
local lease = redis.call('HGET', KEYS[5], ARGV[3])
if lease then held = tonumber(string.match(lease, '^(%d+)|')) or 0 end
local lease_ms = tonumber(ARGV[2])
redis.call('HSET', KEYS[5], ARGV[3], (held + tokens) .. '|' .. KEYS[1] .. '|' .. KEYS[2] .. '|' .. KEYS[3])
redis.call('ZADD', KEYS[4], now + lease_ms, ARGV[3])
redis.call('PEXPIRE', KEYS[4], 2 * lease_ms)
redis.call('PEXPIRE', KEYS[5], 2 * lease_ms)
return {1, tokens, requests}
