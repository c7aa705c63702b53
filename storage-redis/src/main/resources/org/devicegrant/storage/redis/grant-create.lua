-- Create one grant if absent, with its refresh-token hash (if any) indexed as current.
-- KEYS: 1 grant, 2 its set of refresh-token hashes, 3 active grants of the subject,
--       4 the tenant's grant expiry set (all of one tenant: one hash tag, one slot)
-- ARGV: 1 now ms, 2 ttl ms, 3 escaped id, 4 json, 5 version, 6 status, 7 client id, 8 subject,
--       9 escaped subject, 10 escaped refresh-token hash or '', 11 lastUsedAt ms, 12 purge-from ms,
--       13 tenant key base ("P{t}:"), 14 retention ms
-- Returns 0 created, 1 id exists, 2 the refresh-token hash is held by a kept grant.
-- Writes nothing unless it returns 0.
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local id = ARGV[3]
local hash = ARGV[10]
local base = ARGV[13]
local retention = tonumber(ARGV[14])

if redis.call('EXISTS', KEYS[1]) == 1 then
  return 1
end
local index = base .. 'gr:' .. hash
if hash ~= '' then
  local holder = redis.call('GET', index)
  if holder and redis.call('EXISTS', base .. 'g:' .. holder) == 1 then
    return 2
  end
end

redis.call('HSET', KEYS[1], 'j', ARGV[4], 'v', ARGV[5], 's', ARGV[6], 'c', ARGV[7], 'u', ARGV[8],
  'e', ARGV[9], 'r', hash)
redis.call('PEXPIRE', KEYS[1], ttl)
if hash ~= '' then
  redis.call('SET', index, id, 'PX', ttl)
  redis.call('SADD', KEYS[2], hash)
  redis.call('PEXPIRE', KEYS[2], ttl)
end

-- a set lives as long as its longest-lived member
local function extend(key)
  if redis.call('PTTL', key) < ttl then
    redis.call('PEXPIRE', key, ttl)
  end
end
if ARGV[6] == 'ACTIVE' then
  redis.call('ZADD', KEYS[3], tonumber(ARGV[11]), id)
  extend(KEYS[3])
end
-- entries whose grants have outlived their retention are gone from Redis already
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. math.floor(now - retention))
redis.call('ZADD', KEYS[4], tonumber(ARGV[12]), id)
extend(KEYS[4])
return 0
