-- The JSON of the record an index key points to, or nil.
-- KEYS: 1 index key (device-code or user-code hash → id)
-- ARGV: 1 record key prefix of the same tenant (same hash tag, so the record is in this slot)
local id = redis.call('GET', KEYS[1])
if not id then
  return false
end
return redis.call('HGET', ARGV[1] .. id, 'j')
