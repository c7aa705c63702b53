package org.devicegrant.storage.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.AuthorizationStatus;
import org.devicegrant.storage.tck.Services;

/**
 * The real Redis on 127.0.0.1:6379 for tests: reachability check (skip, or fail when
 * {@code DEVICEGRANT_REQUIRE_SERVICES=1}), clients with a 1 s command timeout, random key
 * prefixes, and cleanup and dumps limited to one prefix (SCAN, never FLUSHALL).
 */
final class RedisTestSupport {

    static final String HOST = "127.0.0.1";
    static final int PORT = 6379;
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    static final Instant START = Instant.parse("2026-01-15T09:00:00Z");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong COUNTER = new AtomicLong();

    private RedisTestSupport() {
    }

    /** Skips the calling test class when Redis is unreachable, unless services are required ({@link Services}). */
    static void requireRedis() {
        Services.require("Redis", HOST, PORT);
    }

    /** A client for {@code host:port} with a 1 s command timeout that rejects commands while disconnected. */
    static RedisClient client(String host, int port) {
        return configure(RedisClient.create(uri(host, port)));
    }

    /** As {@link #client(String, int)}, on {@code resources}. */
    static RedisClient client(ClientResources resources, String host, int port) {
        return configure(RedisClient.create(resources, uri(host, port)));
    }

    private static RedisURI uri(String host, int port) {
        return RedisURI.builder()
                .withHost(host)
                .withPort(port)
                .withTimeout(COMMAND_TIMEOUT)
                .build();
    }

    private static RedisClient configure(RedisClient client) {
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        return client;
    }

    static RedisClient client() {
        return client(HOST, PORT);
    }

    /** A fresh prefix, unique to one test run: {@code dgtest:<random>:}. */
    static String randomPrefix() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "dgtest:" + HexFormat.of().formatHex(bytes) + ":";
    }

    /** Every key under {@code prefix}. */
    static List<String> keys(RedisCommands<String, String> redis, String prefix) {
        List<String> keys = new ArrayList<>();
        ScanArgs args = ScanArgs.Builder.matches(prefix + "*").limit(500);
        KeyScanCursor<String> cursor = redis.scan(args);
        keys.addAll(cursor.getKeys());
        while (!cursor.isFinished()) {
            cursor = redis.scan(cursor, args);
            keys.addAll(cursor.getKeys());
        }
        return keys;
    }

    /** Deletes every key under {@code prefix}, and only those. */
    static void deleteAll(StatefulRedisConnection<String, String> connection, String prefix) {
        RedisCommands<String, String> redis = connection.sync();
        List<String> keys = keys(redis, prefix);
        if (!keys.isEmpty()) {
            redis.del(keys.toArray(String[]::new));
        }
    }

    /** Every key under {@code prefix} and its value, one string per key. */
    static List<String> dump(StatefulRedisConnection<String, String> connection, String prefix) {
        RedisCommands<String, String> redis = connection.sync();
        List<String> entries = new ArrayList<>();
        for (String key : keys(redis, prefix)) {
            String type = redis.type(key);
            Object value = switch (type) {
                case "string" -> redis.get(key);
                case "hash" -> redis.hgetall(key);
                case "zset" -> redis.zrangeWithScores(key, 0, -1);
                case "set" -> redis.smembers(key);
                case "list" -> redis.lrange(key, 0, -1);
                default -> type;
            };
            entries.add(key + " = " + value);
        }
        return entries;
    }

    /** A PENDING record of {@code tenant}, 10 minutes long, with fresh id and hashes. */
    static DeviceAuthorization pending(String tenant, String clientId, Instant now) {
        long n = COUNTER.incrementAndGet();
        return DeviceAuthorization.builder()
                .id("id-" + n + "-" + randomHex())
                .tenant(tenant)
                .deviceCodeHash("dch-" + randomHex())
                .userCodeHash("uch-" + randomHex())
                .clientId(clientId)
                .requestedScopes(Set.of("openid", "profile"))
                .deviceMetadata(Map.of("model", "TV-1"))
                .status(AuthorizationStatus.PENDING)
                .createdAt(now)
                .expiresAt(now.plus(Duration.ofMinutes(10)))
                .interval(Duration.ofSeconds(5))
                .version(0)
                .build();
    }

    static DeviceAuthorization pending(Instant now) {
        return pending("tenant-a", "tv-client", now);
    }

    static DeviceAuthorization approved(DeviceAuthorization record, Instant now) {
        return record.toBuilder()
                .status(AuthorizationStatus.APPROVED)
                .subject("user-1")
                .grantedScopes(Set.of("openid"))
                .authTime(now)
                .nextVersion()
                .build();
    }

    private static String randomHex() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
