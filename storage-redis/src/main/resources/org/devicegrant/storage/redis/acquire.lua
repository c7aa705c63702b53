-- Decides one user-code attempt and, if allowed, charges it to the key and the tenant's budget.
-- KEYS: 1 failures of the key (zset, score = time ms), 2 lockout state of the key (hash: until,
--       n = lockouts so far), 3 the tenant's global failures (zset), 4 sequence (all one slot)
-- ARGV: 1 now ms, 2 burstFailures, 3 burstWindow ms, 4 windowFailures, 5 window ms,
--       6 initialLockout ms, 7 maxLockout ms, 8 globalFailures, 9 globalWindow ms,
--       10 digest of the key, 11 longest key window ms (max of burstWindow and window)
-- Returns {1, 0} allowed and charged, or {0, retryAfter ms} refused and not charged.
-- A failure at t counts while now - window < t.
local now = tonumber(ARGV[1])
local burstFailures = tonumber(ARGV[2])
local burstWindow = tonumber(ARGV[3])
local windowFailures = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local initialLockout = tonumber(ARGV[6])
local maxLockout = tonumber(ARGV[7])
local globalFailures = tonumber(ARGV[8])
local globalWindow = tonumber(ARGV[9])
local longest = tonumber(ARGV[11])

local state = redis.call('HMGET', KEYS[2], 'until', 'n')
local lockedUntil = tonumber(state[1] or '0')
local lockouts = tonumber(state[2] or '0')
if lockedUntil > now then
  return {0, lockedUntil - now}
end

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
-- failures before the last lockout ended do not count toward the next burst
local burstFrom
if lockedUntil > now - burstWindow then
  burstFrom = lockedUntil
else
  burstFrom = '(' .. (now - burstWindow)
end
if redis.call('ZCOUNT', KEYS[1], burstFrom, '+inf') >= burstFailures then
  local lockout = initialLockout
  for _ = 1, lockouts do
    lockout = lockout * 2
    if lockout >= maxLockout then
      break
    end
  end
  lockout = math.min(lockout, maxLockout)
  redis.call('HSET', KEYS[2], 'until', now + lockout, 'n', lockouts + 1)
  redis.call('PEXPIRE', KEYS[2], lockout + longest)
  return {0, lockout}
end

if redis.call('ZCOUNT', KEYS[1], '(' .. (now - window), '+inf') >= windowFailures then
  local oldest = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - window), '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  return {0, tonumber(oldest[2]) + window - now}
end

redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - globalWindow)
if redis.call('ZCARD', KEYS[3]) >= globalFailures then
  local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  return {0, tonumber(oldest[2]) + globalWindow - now}
end

local seq = redis.call('INCR', KEYS[4])
redis.call('PEXPIRE', KEYS[4], math.max(longest, globalWindow))
local member = now .. ':' .. seq
redis.call('ZADD', KEYS[1], now, member)
redis.call('PEXPIRE', KEYS[1], longest)
redis.call('ZADD', KEYS[3], now, ARGV[10] .. ':' .. member)
redis.call('PEXPIRE', KEYS[3], globalWindow)
return {1, 0}
