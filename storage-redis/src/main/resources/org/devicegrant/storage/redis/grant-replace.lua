-- Compare-and-set of one grant on its version. A new refresh-token hash becomes current and is
-- indexed; every hash the grant held stays indexed (retired) and lives as long as the grant.
-- KEYS: 1 grant, 2 its set of refresh-token hashes, 3 active grants of the subject,
--       4 the tenant's grant expiry set (one slot)
-- ARGV: 1 expected version, 2 new version, 3 json, 4 status, 5 escaped id, 6 client id,
--       7 subject, 8 escaped refresh-token hash or '', 9 lastUsedAt ms, 10 purge-from ms,
--       11 ttl ms, 12 tenant key base
-- Returns 1 replaced; 0 grant missing, version moved on, or a revoked grant would become active;
-- -1 the new value changes client or subject; -2 the new hash is held by another kept grant.
-- Writes nothing unless it returns 1.
local current = redis.call('HMGET', KEYS[1], 'v', 's', 'c', 'u', 'r')
if not current[1] then
  return 0
end
if current[3] ~= ARGV[6] or current[4] ~= ARGV[7] then
  return -1
end
if current[1] ~= ARGV[1] then
  return 0
end
if current[2] == 'REVOKED' and ARGV[4] ~= 'REVOKED' then
  return 0
end
local id = ARGV[5]
local hash = ARGV[8]
local base = ARGV[12]
local ttl = tonumber(ARGV[11])
if hash ~= '' and hash ~= current[5] then
  local holder = redis.call('GET', base .. 'gr:' .. hash)
  if holder and holder ~= id and redis.call('EXISTS', base .. 'g:' .. holder) == 1 then
    return -2
  end
end

redis.call('HSET', KEYS[1], 'j', ARGV[3], 'v', ARGV[2], 's', ARGV[4], 'r', hash)
redis.call('PEXPIRE', KEYS[1], ttl)
if hash ~= '' then
  redis.call('SET', base .. 'gr:' .. hash, id, 'PX', ttl)
  redis.call('SADD', KEYS[2], hash)
end
-- the grant's lifetime moved: so does the index entry of every hash it ever held
for _, held in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  redis.call('PEXPIRE', base .. 'gr:' .. held, ttl)
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('PEXPIRE', KEYS[2], ttl)
end

local function extend(key)
  if redis.call('PTTL', key) < ttl then
    redis.call('PEXPIRE', key, ttl)
  end
end
if ARGV[4] == 'ACTIVE' then
  redis.call('ZADD', KEYS[3], tonumber(ARGV[9]), id)
  extend(KEYS[3])
else
  redis.call('ZREM', KEYS[3], id)
end
redis.call('ZADD', KEYS[4], tonumber(ARGV[10]), id)
extend(KEYS[4])
return 1
