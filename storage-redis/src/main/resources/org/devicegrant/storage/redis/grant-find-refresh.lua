-- The grant that holds or held a refresh-token hash, and whether the hash is its current one.
-- KEYS: 1 refresh-token index key (hash → grant id)
-- ARGV: 1 tenant key base (same hash tag, so the grant is in this slot), 2 escaped hash
-- Returns {json, 1 current | 0 retired}, or an empty array.
local id = redis.call('GET', KEYS[1])
if not id then
  return {}
end
local grant = redis.call('HMGET', ARGV[1] .. 'g:' .. id, 'j', 'r')
if not grant[1] then
  return {}
end
if grant[2] == ARGV[2] then
  return {grant[1], 1}
end
return {grant[1], 0}
