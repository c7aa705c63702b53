-- Deletes up to ARGV[2] records of one tenant whose expiresAt is before ARGV[1], with their
-- index entries (only those still pointing at them) and set memberships.
-- KEYS: 1 expiry set of the tenant
-- ARGV: 1 cutoff ms (exclusive), 2 limit, 3 tenant key base ("P{t}:", same hash tag)
-- Returns {deleted, examined}; examined < limit means the tenant has nothing more to delete.
local base = ARGV[3]
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local deleted = 0
for _, id in ipairs(ids) do
  local record = base .. 'a:' .. id
  local fields = redis.call('HMGET', record, 'd', 'u', 'c')
  if fields[1] then
    local deviceIndex = base .. 'dc:' .. fields[1]
    if redis.call('GET', deviceIndex) == id then
      redis.call('DEL', deviceIndex)
    end
    local userIndex = base .. 'uc:' .. fields[2]
    if redis.call('GET', userIndex) == id then
      redis.call('DEL', userIndex)
    end
    redis.call('ZREM', base .. 'p', id)
    redis.call('ZREM', base .. 'pc:' .. fields[3], id)
    redis.call('DEL', record)
    deleted = deleted + 1
  end
  redis.call('ZREM', KEYS[1], id)
end
return {deleted, #ids}
