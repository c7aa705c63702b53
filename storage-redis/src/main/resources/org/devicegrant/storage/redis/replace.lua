-- Compare-and-set of one device authorization on its version; the record keeps its TTL.
-- KEYS: 1 record, 2 pending set, 3 pending set of the client
-- ARGV: 1 expected version, 2 new version, 3 json, 4 status, 5 id, 6 device-code hash,
--       7 user-code hash, 8 client id, 9 expiresAt ms, 10 createdAt ms
-- Returns 1 replaced, 0 record missing or version moved on, -1 the new value changes the
-- record's identity. Writes nothing unless it returns 1.
local current = redis.call('HMGET', KEYS[1], 'v', 'd', 'u', 'c', 'x', 't')
if not current[1] or current[1] ~= ARGV[1] then
  return 0
end
if current[2] ~= ARGV[6] or current[3] ~= ARGV[7] or current[4] ~= ARGV[8]
    or current[5] ~= ARGV[9] or current[6] ~= ARGV[10] then
  return -1
end
redis.call('HSET', KEYS[1], 'j', ARGV[3], 'v', ARGV[2], 's', ARGV[4])
if ARGV[4] ~= 'PENDING' then
  redis.call('ZREM', KEYS[2], ARGV[5])
  redis.call('ZREM', KEYS[3], ARGV[5])
end
return 1
