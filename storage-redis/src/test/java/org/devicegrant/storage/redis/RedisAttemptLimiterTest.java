package org.devicegrant.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.IdentityHashMap;
import java.util.Map;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.AttemptPolicy;
import org.devicegrant.storage.tck.AttemptLimiterContract;
import org.devicegrant.storage.tck.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The attempt-limiter TCK against Redis on 127.0.0.1:6379, plus its storage particulars. */
class RedisAttemptLimiterTest extends AttemptLimiterContract {

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> direct;

    private final Map<AttemptLimiter, String> prefixes = new IdentityHashMap<>();

    @BeforeAll
    static void connect() {
        RedisTestSupport.requireRedis();
        client = RedisTestSupport.client();
        direct = client.connect();
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            direct.close();
            client.shutdown();
        }
    }

    @Override
    protected AttemptLimiter createLimiter(AttemptPolicy policy, MutableClock clock) {
        String prefix = RedisTestSupport.randomPrefix();
        AttemptLimiter limiter = RedisAttemptLimiter.builder().connection(new RedisConnection(direct, prefix))
                .policy(policy).build();
        prefixes.put(limiter, prefix);
        return limiter;
    }

    @Override
    protected void closeLimiter(AttemptLimiter limiter) {
        RedisTestSupport.deleteAll(direct, prefixes.remove(limiter));
    }

    @Test
    @DisplayName("SECURITY-TESTS row 10: two nodes on two connections share one exact global budget")
    void tryAcquireOnTwoConnectionsThenOneGlobalBudget() throws Exception {
        AttemptPolicy policy = new AttemptPolicy(10_000, java.time.Duration.ofSeconds(60), 10_000,
                java.time.Duration.ofMinutes(10), java.time.Duration.ofSeconds(60), java.time.Duration.ofMinutes(15),
                100, java.time.Duration.ofSeconds(60));
        AttemptLimiter nodeA = limiter(policy);
        String prefix = prefixes.get(nodeA);
        try (StatefulRedisConnection<String, String> second = client.connect()) {
            AttemptLimiter nodeB = RedisAttemptLimiter.builder().connection(new RedisConnection(second, prefix))
                    .policy(policy).build();

            var allowed = race(THREADS, thread -> {
                AttemptLimiter node = thread % 2 == 0 ? nodeA : nodeB;
                int count = 0;
                for (int i = 0; i < 5; i++) {
                    count += node.tryAcquire(TENANT, "ip:" + thread + "." + i, now()).allowed() ? 1 : 0;
                }
                return count;
            });

            assertThat(allowed.stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        }
    }

    @Test
    void tryAcquireThenAttemptKeyIsStoredOnlyAsDigest() throws Exception {
        AttemptLimiter limiter = limiter(AttemptPolicy.defaults());

        limiter.tryAcquire(TENANT, "ip:203.0.113.7", now());

        assertThat(String.join("\n", RedisTestSupport.dump(direct, prefixes.get(limiter))))
                .isNotEmpty()
                .doesNotContain("203.0.113.7");
    }

    @Test
    void builderWhenSecondConnectionOrNoneThenRejected() {
        RedisConnection redis = RedisConnection.of(direct);
        assertThatThrownBy(() -> RedisAttemptLimiter.builder().connection(redis).connection(redis))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connection");
        assertThatThrownBy(() -> RedisAttemptLimiter.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connection");
    }
}
