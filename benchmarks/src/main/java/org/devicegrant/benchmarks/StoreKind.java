package org.devicegrant.benchmarks;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.memory.InMemoryDeviceAuthorizationStore;
import org.devicegrant.storage.redis.RedisDeviceAuthorizationStore;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

/**
 * The stores our benchmarks run against. The in-memory store is always there; a store backed by
 * a server is only benchmarked when {@link #unavailableReason()} is empty.
 */
enum StoreKind {
    MEMORY,
    /** Redis on {@code 127.0.0.1:6379} (or {@code -Ddevicegrant.redis.host/port}), under a key prefix of its own. */
    REDIS;

    static final String REDIS_HOST = System.getProperty("devicegrant.redis.host", "127.0.0.1");
    static final int REDIS_PORT = Integer.getInteger("devicegrant.redis.port", 6379);

    /** A store ready for one benchmark trial, and what to do when the trial ends. */
    record Opened(DeviceAuthorizationStore store, AutoCloseable cleanup) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            cleanup.close();
        }
    }

    /** Why this store cannot be benchmarked here, or empty when it can. */
    Optional<String> unavailableReason() {
        return switch (this) {
            case MEMORY -> Optional.empty();
            case REDIS -> reachable(REDIS_HOST, REDIS_PORT) ? Optional.empty()
                    : Optional.of("Redis is not reachable at " + REDIS_HOST + ":" + REDIS_PORT);
        };
    }

    /** A new, empty store; closing the result removes whatever the trial wrote and disconnects. */
    Opened open(SecureRandom random) {
        return switch (this) {
            case MEMORY -> new Opened(InMemoryDeviceAuthorizationStore.create(), () -> { });
            case REDIS -> openRedis(random);
        };
    }

    private static Opened openRedis(SecureRandom random) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost(REDIS_HOST).withPort(REDIS_PORT)
                .withTimeout(Duration.ofSeconds(5)).build());
        StatefulRedisConnection<String, String> connection = client.connect();
        String prefix = "dgbench:" + Prefill.randomBase64(random, 6).replace('-', '.') + ":";
        DeviceAuthorizationStore store = RedisDeviceAuthorizationStore.builder().connection(connection)
                .keyPrefix(prefix).build();
        return new Opened(store, () -> {
            try {
                deleteKeys(connection, prefix);
            } finally {
                connection.close();
                client.shutdown();
            }
        });
    }

    private static void deleteKeys(StatefulRedisConnection<String, String> connection, String prefix) {
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs args = ScanArgs.Builder.matches(prefix + "*").limit(1_000);
        do {
            KeyScanCursor<String> page = connection.sync().scan(cursor, args);
            if (!page.getKeys().isEmpty()) {
                connection.sync().unlink(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
