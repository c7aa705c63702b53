/**
 * Redis and Redis Cluster implementations of the devicegrant storage SPI, through Lettuce:
 * {@link org.devicegrant.storage.redis.RedisDeviceAuthorizationStore},
 * {@link org.devicegrant.storage.redis.RedisGrantStore} and
 * {@link org.devicegrant.storage.redis.RedisAttemptLimiter}. Every atomic step is one Lua script
 * on the slot of one tenant (keys hash-tagged {@code {tenant}}); expiry is native TTL.
 */
package org.devicegrant.storage.redis;
