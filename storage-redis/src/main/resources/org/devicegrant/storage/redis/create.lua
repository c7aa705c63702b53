-- Create one device authorization if absent, atomically with the user-code uniqueness check.
-- KEYS: 1 record, 2 device-code index, 3 user-code index, 4 pending set, 5 pending set of the
--       client, 6 expiry set (all of one tenant: one hash tag, one slot)
-- ARGV: 1 now ms, 2 ttl ms, 3 id, 4 json, 5 version, 6 expiresAt ms, 7 status, 8 client id,
--       9 device-code hash, 10 user-code hash, 11 createdAt ms, 12 the caller's cap on pending
--       records of the tenant, 13 record key prefix, 14 retention ms
-- Returns 0 created, 1 user code held by an unexpired record, 2 id exists, 3 device-code hash
-- exists, 4 pending cap reached. Writes nothing unless it returns 0.
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local expiresAt = tonumber(ARGV[6])
local retention = tonumber(ARGV[14])

if redis.call('EXISTS', KEYS[1]) == 1 then
  return 2
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return 3
end
local holder = redis.call('GET', KEYS[3])
if holder then
  -- the holder's record shares this tenant's hash tag, so it lives in this slot
  local holderExpiresAt = redis.call('HGET', ARGV[13] .. holder, 'x')
  if holderExpiresAt and tonumber(holderExpiresAt) > now then
    return 1
  end
end

local pending = ARGV[7] == 'PENDING' and expiresAt > now
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)
-- what is left in the pending set is what countPending counts: pending and unexpired at now
if pending and redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[12]) then
  return 4
end

redis.call('HSET', KEYS[1], 'j', ARGV[4], 'v', ARGV[5], 's', ARGV[7], 'x', ARGV[6], 't', ARGV[11],
  'd', ARGV[9], 'u', ARGV[10], 'c', ARGV[8])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('SET', KEYS[2], ARGV[3], 'PX', ttl)
redis.call('SET', KEYS[3], ARGV[3], 'PX', ttl)

local function extend(key)
  local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if newest[2] then
    redis.call('PEXPIRE', key, math.max(math.floor(tonumber(newest[2]) + retention - now), 1))
  end
end
if pending then
  redis.call('ZADD', KEYS[4], expiresAt, ARGV[3])
  redis.call('ZADD', KEYS[5], expiresAt, ARGV[3])
  extend(KEYS[4])
  extend(KEYS[5])
end
-- entries whose records have outlived their retention are gone from Redis already
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', '(' .. math.floor(now - retention))
redis.call('ZADD', KEYS[6], expiresAt, ARGV[3])
extend(KEYS[6])
return 0
