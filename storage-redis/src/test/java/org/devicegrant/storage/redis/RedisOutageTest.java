package org.devicegrant.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.devicegrant.storage.redis.RedisTestSupport.START;
import static org.devicegrant.storage.redis.RedisTestSupport.approved;
import static org.devicegrant.storage.redis.RedisTestSupport.pending;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.AuthorizationStatus;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.StoreUnavailableException;
import org.devicegrant.storage.tck.Fixtures;
import org.devicegrant.storage.tck.LoopbackProxy;
import org.devicegrant.storage.tck.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SECURITY-TESTS row 24 (storage part): Redis behind a loopback proxy that is cut and restored.
 * While cut every call fails fast with {@link StoreUnavailableException} and nothing changes;
 * after the restore the pending compare-and-set succeeds exactly once. The same for the grant
 * store and its rotation.
 */
class RedisOutageTest {

    /** A call through a cut proxy must fail within this; the command timeout is 1 s. */
    private static final Duration FAILURE_BOUND = Duration.ofSeconds(3);
    private static final Duration RECONNECT_BOUND = Duration.ofSeconds(15);

    private LoopbackProxy proxy;
    private ClientResources resources;
    private RedisClient proxiedClient;
    private StatefulRedisConnection<String, String> proxied;
    private RedisClient directClient;
    private StatefulRedisConnection<String, String> direct;
    private String prefix;
    private DeviceAuthorizationStore viaProxy;
    private DeviceAuthorizationStore directStore;

    @BeforeAll
    static void requireRedis() {
        RedisTestSupport.requireRedis();
    }

    @BeforeEach
    void connect() throws Exception {
        proxy = new LoopbackProxy(RedisTestSupport.HOST, RedisTestSupport.PORT);
        resources = ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(50))).build();
        proxiedClient = RedisTestSupport.client(resources, RedisTestSupport.HOST, proxy.port());
        proxied = proxiedClient.connect();
        directClient = RedisTestSupport.client();
        direct = directClient.connect();
        prefix = RedisTestSupport.randomPrefix();
        viaProxy = RedisDeviceAuthorizationStore.builder().connection(new RedisConnection(proxied, prefix)).build();
        directStore = RedisDeviceAuthorizationStore.builder().connection(new RedisConnection(direct, prefix)).build();
    }

    @AfterEach
    void disconnect() throws Exception {
        RedisTestSupport.deleteAll(direct, prefix);
        proxied.close();
        proxiedClient.shutdown();
        resources.shutdown();
        direct.close();
        directClient.shutdown();
        proxy.close();
    }

    @Test
    @DisplayName("SECURITY-TESTS row 24: while Redis is unreachable every call fails fast, 0 state changes; after recovery the approved code is consumed exactly once")
    void whenProxyCutThenStoreUnavailableAndNothingChangesAndAfterRestoreReplaceWinsOnce() throws Exception {
        DeviceAuthorization created = pending(START);
        viaProxy.create(created, START, Long.MAX_VALUE);
        DeviceAuthorization approvedRecord = approved(created, START);
        assertThat(viaProxy.replace(0, approvedRecord)).isTrue();
        DeviceAuthorization consumed = approvedRecord.toBuilder().status(AuthorizationStatus.CONSUMED).nextVersion().build();
        List<String> before = RedisTestSupport.dump(direct, prefix);

        proxy.cut();

        assertUnavailableWithinBound(() -> viaProxy.replace(1, consumed), created);
        assertUnavailableWithinBound(() -> viaProxy.findByDeviceCodeHash("tenant-a", created.deviceCodeHash()),
                created);
        assertUnavailableWithinBound(() -> viaProxy.findByUserCodeHash("tenant-a", created.userCodeHash()), created);
        assertUnavailableWithinBound(() -> viaProxy.findById("tenant-a", created.id()), created);
        assertUnavailableWithinBound(() -> viaProxy.create(pending(START), START, Long.MAX_VALUE), created);
        assertUnavailableWithinBound(() -> viaProxy.countPending("tenant-a", START), created);
        assertUnavailableWithinBound(() -> viaProxy.deleteExpired(START.plus(Duration.ofDays(1)), 10), created);
        assertThat(directStore.findById("tenant-a", created.id())).contains(approvedRecord);
        assertThat(RedisTestSupport.dump(direct, prefix)).containsExactlyInAnyOrderElementsOf(before);

        proxy.restore();
        awaitReconnected();

        assertThat(viaProxy.replace(1, consumed)).isTrue();
        assertThat(viaProxy.replace(1, consumed)).isFalse();
        assertThat(directStore.findById("tenant-a", created.id())).contains(consumed);
    }

    @Test
    void whenProxyCutThenLimiterRefusesWithStoreUnavailable() throws Exception {
        AttemptLimiter limiter = RedisAttemptLimiter.builder().connection(new RedisConnection(proxied, prefix)).build();
        assertThat(limiter.tryAcquire("tenant-a", "ip:203.0.113.7", START).allowed()).isTrue();

        proxy.cut();

        long started = System.nanoTime();
        assertThatThrownBy(() -> limiter.tryAcquire("tenant-a", "ip:203.0.113.7", START))
                .isInstanceOf(StoreUnavailableException.class)
                .message().doesNotContain("203.0.113.7");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAILURE_BOUND);
    }

    @Test
    void whenProxyCutThenGrantStoreUnavailableAndNothingChangesAndAfterRestoreRotationWinsOnce() throws Exception {
        MutableClock clock = new MutableClock(START);
        GrantStore grantsViaProxy = RedisGrantStore.builder()
                .connection(new RedisConnection(proxied, prefix)).clock(clock).build();
        GrantStore grantsDirect = RedisGrantStore.builder()
                .connection(new RedisConnection(direct, prefix)).clock(clock).build();
        Grant grant = Fixtures.grant("tenant-a", "user-1", START);
        grantsViaProxy.create(grant);
        Grant rotated = Fixtures.rotated(grant, START.plusSeconds(60));
        List<String> before = RedisTestSupport.dump(direct, prefix);

        proxy.cut();

        assertGrantCallUnavailableWithinBound(() -> grantsViaProxy.replace(0, rotated), grant);
        assertGrantCallUnavailableWithinBound(() -> grantsViaProxy.findById("tenant-a", grant.id()), grant);
        assertGrantCallUnavailableWithinBound(
                () -> grantsViaProxy.findByRefreshTokenHash("tenant-a", grant.refreshTokenHash()), grant);
        assertGrantCallUnavailableWithinBound(
                () -> grantsViaProxy.create(Fixtures.grant("tenant-a", "user-1", START)), grant);
        assertGrantCallUnavailableWithinBound(() -> grantsViaProxy.listActive("tenant-a", "user-1", START), grant);
        assertGrantCallUnavailableWithinBound(
                () -> grantsViaProxy.deleteExpired(START.plus(Duration.ofDays(365)), 10), grant);
        assertThat(grantsDirect.findById("tenant-a", grant.id())).contains(grant);
        assertThat(RedisTestSupport.dump(direct, prefix)).containsExactlyInAnyOrderElementsOf(before);

        proxy.restore();
        awaitReconnected();

        assertThat(grantsViaProxy.replace(0, rotated)).isTrue();
        assertThat(grantsViaProxy.replace(0, Fixtures.rotated(grant, START.plusSeconds(60)))).isFalse();
        assertThat(grantsDirect.findById("tenant-a", grant.id())).contains(rotated);
    }

    private static void assertGrantCallUnavailableWithinBound(ThrowingCallable call, Grant grant) {
        long started = System.nanoTime();
        assertThatThrownBy(call)
                .isInstanceOf(StoreUnavailableException.class)
                .hasCauseInstanceOf(RedisException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .startsWith("Redis ")
                        .doesNotContain(grant.refreshTokenHash())
                        .doesNotContain(grant.id())
                        .doesNotContain(grant.subject()));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAILURE_BOUND);
    }

    private static void assertUnavailableWithinBound(ThrowingCallable call, DeviceAuthorization record) {
        long started = System.nanoTime();
        assertThatThrownBy(call)
                .isInstanceOf(StoreUnavailableException.class)
                .hasCauseInstanceOf(RedisException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .startsWith("Redis ")
                        .doesNotContain(record.deviceCodeHash())
                        .doesNotContain(record.userCodeHash())
                        .doesNotContain(record.id()));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAILURE_BOUND);
    }

    /** Waits, bounded, until Lettuce has reconnected through the restored proxy. */
    private void awaitReconnected() {
        long deadline = System.nanoTime() + RECONNECT_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if ("PONG".equals(proxied.sync().ping())) {
                    return;
                }
            } catch (RedisException stillDown) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        fail("no reconnect through the restored proxy within " + RECONNECT_BOUND);
    }
}
