package org.devicegrant.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared connection settings; no server needed (the connections are stand-ins that are never used). */
class RedisConnectionTest {

    @SuppressWarnings("unchecked")
    private static <T> T standIn(Class<T> type) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            throw new UnsupportedOperationException(method.getName());
        });
    }

    @Test
    void ofWhenStandaloneConnectionThenDefaultPrefix() {
        StatefulRedisConnection<String, String> connection = standIn(StatefulRedisConnection.class);

        RedisConnection redis = RedisConnection.of(connection);

        assertThat(redis.connection()).isSameAs(connection);
        assertThat(redis.keyPrefix()).isEqualTo("dg:");
    }

    @Test
    void whenClusterConnectionThenAccepted() {
        StatefulRedisClusterConnection<String, String> cluster = standIn(StatefulRedisClusterConnection.class);

        assertThat(new RedisConnection(cluster, "tenant.keys:").keyPrefix()).isEqualTo("tenant.keys:");
    }

    @Test
    void whenNeitherStandaloneNorClusterConnectionThenRejectedNamingIt() {
        StatefulConnection<String, String> other = standIn(StatefulConnection.class);

        assertThatThrownBy(() -> RedisConnection.of(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("StatefulRedisConnection")
                .hasMessageContaining("StatefulRedisClusterConnection");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dg{", "a}b", "dg*", "dg?", "dg[1]", "dg prefix", "ä",
            "a-prefix-that-is-longer-than-sixty-four-characters-which-redis-would-allow-but-we-do-not"})
    void whenKeyPrefixOutOfRangeThenRejectedNamingItAndTheRange(String prefix) {
        StatefulRedisConnection<String, String> connection = standIn(StatefulRedisConnection.class);

        assertThatThrownBy(() -> new RedisConnection(connection, prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyPrefix must have 0 to 64 characters");
    }

    @Test
    void whenArgumentNullThenNamed() {
        StatefulRedisConnection<String, String> connection = standIn(StatefulRedisConnection.class);

        assertThatThrownBy(() -> new RedisConnection(null, "dg:")).hasMessageContaining("connection");
        assertThatThrownBy(() -> new RedisConnection(connection, null)).hasMessageContaining("keyPrefix");
    }
}
