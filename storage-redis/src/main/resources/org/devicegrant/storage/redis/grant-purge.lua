-- Deletes up to ARGV[2] grants of one tenant that lapsed or were revoked before ARGV[1], with the
-- index entries of their refresh-token hashes (those still pointing at them) and set memberships.
-- KEYS: 1 grant expiry set of the tenant
-- ARGV: 1 cutoff ms (exclusive), 2 limit, 3 tenant key base ("P{t}:", same hash tag)
-- Returns {deleted, examined}; examined < limit means the tenant has nothing more to delete.
local base = ARGV[3]
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local deleted = 0
for _, id in ipairs(ids) do
  local grant = base .. 'g:' .. id
  local hashes = base .. 'gh:' .. id
  local subject = redis.call('HGET', grant, 'e')
  if subject then
    for _, held in ipairs(redis.call('SMEMBERS', hashes)) do
      local index = base .. 'gr:' .. held
      if redis.call('GET', index) == id then
        redis.call('DEL', index)
      end
    end
    redis.call('ZREM', base .. 'gs:' .. subject, id)
    redis.call('DEL', grant)
    deleted = deleted + 1
  end
  redis.call('DEL', hashes)
  redis.call('ZREM', KEYS[1], id)
end
return {deleted, #ids}
