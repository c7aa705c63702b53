package org.devicegrant.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.devicegrant.DeviceGrant;
import org.devicegrant.storage.AttemptPolicy;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.RefreshTokenMatch;
import org.devicegrant.storage.redis.RedisAttemptLimiter;
import org.devicegrant.storage.redis.RedisConnection;
import org.devicegrant.storage.redis.RedisDeviceAuthorizationStore;
import org.devicegrant.storage.redis.RedisGrantStore;
import org.devicegrant.storage.tck.Fixtures;
import org.devicegrant.storage.tck.MutableClock;
import org.devicegrant.storage.tck.Services;
import org.junit.jupiter.api.Test;

/**
 * Runs the Redis setup README.md shows (against Redis on 127.0.0.1:6379; skipped when it is down)
 * and checks that README.md still shows exactly this code.
 */
class RedisStoreSetupTest {

    private static final Path SOURCE = Path.of("src/test/java/org/devicegrant/integration/RedisStoreSetupTest.java");

    @Test
    void readmeRedisSetupWhenRunThenStoresAndLimiterShareTheConnectionAndTheFlowWorks() throws Exception {
        Services.require("Redis", Backend.HOST, 6379);
        MutableClock clock = new MutableClock(Cluster.START);
        // readme:redis:start
        RedisClient client = RedisClient.create("redis://127.0.0.1:6379");   // Sentinel: redis-sentinel://...
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)   // fail fast, no replay
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2))).build());
        var redis = new RedisConnection(client.connect(), "dg:");   // Cluster: a RedisClusterClient's connect()
        var store = RedisDeviceAuthorizationStore.builder().connection(redis)
                .tombstoneRetention(Duration.ofMinutes(10)).build();
        var limiter = RedisAttemptLimiter.builder().connection(redis).policy(AttemptPolicy.defaults()).build();
        var grants = RedisGrantStore.builder().connection(redis).clock(clock).build();   // Issuance.by(jwt).withGrants(grants)
        // readme:redis:end
        @SuppressWarnings("unchecked")
        StatefulRedisConnection<String, String> connection =
                (StatefulRedisConnection<String, String>) redis.connection();
        try {
            DeviceGrant grant = Cluster.engine(store, limiter, Cluster.clients(), clock);
            Cluster.Issued issued = Cluster.authorize(grant);
            assertThat(limiter.tryAcquire(Cluster.TENANT, "ip:203.0.113.7", clock.instant()).allowed()).isTrue();
            Cluster.approve(grant, issued);
            clock.advance(Duration.ofSeconds(5));

            assertThat(Cluster.outcome(Cluster.poll(grant, issued))).isEqualTo("tokens");
            List<String> keys = keys(connection);
            assertThat(keys).as("the store's keys").anyMatch(key -> key.startsWith("dg:{default}:a:"));
            assertThat(keys).as("the limiter's keys").anyMatch(key -> key.startsWith("dg:{default}:l:"));
            Grant stored = Fixtures.grant(Cluster.TENANT, "user-1", clock.instant());
            grants.create(stored);
            assertThat(grants.findByRefreshTokenHash(Cluster.TENANT, stored.refreshTokenHash()))
                    .contains(new RefreshTokenMatch(stored, true));
            assertThat(keys(connection)).as("the grant store's keys").anyMatch(key -> key.startsWith("dg:{default}:g:"));
        } finally {
            List<String> keys = keys(connection);
            if (!keys.isEmpty()) {
                connection.sync().unlink(keys.toArray(String[]::new));
            }
            connection.close();
            client.shutdown();
        }
    }

    @Test
    void readmeWhenShowingRedisSetupThenShowsExactlyTheCodeThisTestRuns() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(snippet()).hasLineCount(9);
        assertThat(readme).contains(snippet());
    }

    private static List<String> keys(StatefulRedisConnection<String, String> connection) {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = connection.sync().scan(cursor, ScanArgs.Builder.matches("dg:{*").limit(500));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    private static String snippet() throws IOException {
        String source = Files.readString(SOURCE);
        String start = "// readme:redis:start\n";
        String body = source.substring(source.indexOf(start) + start.length(), source.indexOf("// readme:redis:end"));
        return body.lines().map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .filter(line -> !line.isEmpty()).collect(Collectors.joining("\n"));
    }
}
