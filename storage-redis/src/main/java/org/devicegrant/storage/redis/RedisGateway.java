package org.devicegrant.storage.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.devicegrant.storage.StoreUnavailableException;

/**
 * The few Redis commands this module needs, over a standalone, Sentinel-managed or Cluster
 * connection alike, with every Lettuce failure turned into a {@link StoreUnavailableException}
 * whose message names the operation and the failure type, never a key or a value.
 *
 * <p>Scripts run with {@code EVALSHA}; on {@code NOSCRIPT} (first use on a server, or after
 * {@code SCRIPT FLUSH} or a failover) the same call is repeated once with {@code EVAL}, which
 * also caches the script. So a script costs one round trip except the first time on each node.
 *
 * <p>Thread-safe: Lettuce connections are, and this class adds no state.
 */
final class RedisGateway {

    private final RedisClusterCommands<String, String> commands;
    private final boolean cluster;

    private RedisGateway(RedisClusterCommands<String, String> commands, boolean cluster) {
        this.commands = commands;
        this.cluster = cluster;
    }

    static RedisGateway of(StatefulRedisConnection<String, String> connection) {
        return new RedisGateway(Objects.requireNonNull(connection, "connection").sync(), false);
    }

    static RedisGateway of(StatefulRedisClusterConnection<String, String> connection) {
        return new RedisGateway(Objects.requireNonNull(connection, "connection").sync(), true);
    }

    /** True when this is a Redis Cluster connection, where keyless commands go to an arbitrary node. */
    boolean isCluster() {
        return cluster;
    }

    /** {@code WAIT replicas timeout}: how many replicas acknowledged this connection's writes. */
    long waitForReplicas(String operation, int replicas, long timeoutMillis) {
        Long acknowledged = call(operation, () -> commands.waitForReplication(replicas, timeoutMillis));
        return acknowledged == null ? 0 : acknowledged;
    }

    <T> T eval(String operation, LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return call(operation, () -> {
            try {
                return commands.evalsha(script.sha1(), type, keys, args);
            } catch (RedisNoScriptException notCached) {
                return commands.eval(script.source(), type, keys, args);
            }
        });
    }

    String hget(String operation, String key, String field) {
        return call(operation, () -> commands.hget(key, field));
    }

    /** ZCOUNT of the members scored above {@code exclusiveMin}. */
    long countAbove(String operation, String key, long exclusiveMin) {
        Long count = call(operation, () -> commands.zcount(key,
                Range.from(Range.Boundary.excluding(exclusiveMin), Range.Boundary.unbounded())));
        return count == null ? 0 : count;
    }

    /**
     * Calls {@code each} with every key matching {@code pattern}, in SCAN order, until it returns
     * or the keyspace is exhausted. Keys may be seen twice (SCAN's guarantee); callers are
     * idempotent.
     */
    void scan(String operation, String pattern, Supplier<Boolean> wantsMore, Consumer<String> each) {
        call(operation, () -> {
            ScanArgs args = ScanArgs.Builder.matches(pattern).limit(500);
            KeyScanCursor<String> cursor = commands.scan(args);
            while (true) {
                for (String key : cursor.getKeys()) {
                    if (!wantsMore.get()) {
                        return null;
                    }
                    each.accept(key);
                }
                if (cursor.isFinished() || !wantsMore.get()) {
                    return null;
                }
                cursor = commands.scan(cursor, args);
            }
        });
    }

    private static <T> T call(String operation, Supplier<T> action) {
        try {
            return action.get();
        } catch (RedisCommandInterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(operation, e);
        } catch (RedisException e) {
            throw unavailable(operation, e);
        }
    }

    private static StoreUnavailableException unavailable(String operation, RedisException e) {
        return new StoreUnavailableException("Redis " + operation + " failed: " + e.getClass().getSimpleName(), e);
    }

    static List<Object> list(Object reply) {
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) reply;
        return list;
    }
}
