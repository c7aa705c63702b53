package org.devicegrant.storage.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.util.Objects;

/**
 * How the Redis store and attempt limiter reach Redis: one Lettuce connection and the prefix of
 * every key. Build it once and hand it to {@link RedisDeviceAuthorizationStore.Builder},
 * {@link RedisGrantStore.Builder} and {@link RedisAttemptLimiter.Builder}; the stores' keys and
 * the limiter's never clash under one prefix. Neither closes the connection.
 *
 * <p>Configure the connection to fail fast: {@code ClientOptions.disconnectedBehavior(REJECT_COMMANDS)},
 * so that commands issued while disconnected are not queued and replayed after a reconnect, and a
 * command timeout of a few seconds.
 *
 * @param connection a standalone or Sentinel-managed connection ({@link StatefulRedisConnection})
 *                   or a Redis Cluster connection ({@link StatefulRedisClusterConnection})
 * @param keyPrefix  the prefix of every key: 0 to 64 characters of {@code A-Z a-z 0-9 : _ . -}
 */
public record RedisConnection(StatefulConnection<String, String> connection, String keyPrefix) {

    /** The key prefix of {@link #of(StatefulConnection)}. */
    static final String DEFAULT_KEY_PREFIX = "dg:";

    /**
     * @throws NullPointerException     an argument is null
     * @throws IllegalArgumentException the connection is of another kind (e.g. a connection to a
     *                                  Sentinel itself), or the prefix is out of its range; the
     *                                  message names it
     */
    public RedisConnection {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (!(connection instanceof StatefulRedisConnection)
                && !(connection instanceof StatefulRedisClusterConnection)) {
            throw new IllegalArgumentException("connection must be a StatefulRedisConnection (standalone or Sentinel-"
                    + "managed) or a StatefulRedisClusterConnection, was " + connection.getClass().getName());
        }
        if (!KeySchema.isValidPrefix(keyPrefix)) {
            throw new IllegalArgumentException(
                    "keyPrefix must have 0 to 64 characters of A-Z a-z 0-9 : _ . -, was " + keyPrefix);
        }
    }

    /** {@code connection} with the key prefix {@code dg:}. */
    public static RedisConnection of(StatefulConnection<String, String> connection) {
        return new RedisConnection(connection, DEFAULT_KEY_PREFIX);
    }

    /** The commands this module sends, over this connection. */
    @SuppressWarnings("unchecked")
    RedisGateway gateway() {
        return connection instanceof StatefulRedisClusterConnection
                ? RedisGateway.of((StatefulRedisClusterConnection<String, String>) connection)
                : RedisGateway.of((StatefulRedisConnection<String, String>) connection);
    }

    /** The key names under this prefix. */
    KeySchema keys() {
        return new KeySchema(keyPrefix);
    }
}
