-- The JSON of every grant in a subject's set, most recently used first; drops the members whose
-- grant is gone (expired by TTL or purged).
-- KEYS: 1 active grants of the subject
-- ARGV: 1 grant key prefix of the same tenant ("P{t}:g:")
local ids = redis.call('ZREVRANGE', KEYS[1], 0, -1)
local grants = {}
for _, id in ipairs(ids) do
  local json = redis.call('HGET', ARGV[1] .. id, 'j')
  if json then
    grants[#grants + 1] = json
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return grants
