-- Refunds the newest charge of a key, and the same charge of the tenant's global budget.
-- KEYS: 1 failures of the key, 2 the tenant's global failures (one slot)
-- ARGV: 1 digest of the key
-- Returns 1 if a charge was refunded, 0 if the key had none left.
local newest = redis.call('ZRANGE', KEYS[1], -1, -1)
if not newest[1] then
  return 0
end
redis.call('ZREM', KEYS[1], newest[1])
redis.call('ZREM', KEYS[2], ARGV[1] .. ':' .. newest[1])
return 1
