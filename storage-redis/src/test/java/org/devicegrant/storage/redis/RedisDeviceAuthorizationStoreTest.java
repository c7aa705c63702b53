package org.devicegrant.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.storage.redis.RedisTestSupport.START;
import static org.devicegrant.storage.redis.RedisTestSupport.approved;
import static org.devicegrant.storage.redis.RedisTestSupport.pending;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.PendingLimitExceededException;
import org.devicegrant.storage.AuthorizationStatus;
import org.devicegrant.storage.StoreUnavailableException;
import org.devicegrant.storage.UserCodeCollisionException;
import org.devicegrant.storage.tck.DeviceAuthorizationStoreContract;
import org.devicegrant.storage.tck.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The storage TCK against Redis on 127.0.0.1:6379, plus what is particular to Redis: TTLs, key
 * escaping, round trips, races over two connections, the stored format.
 */
class RedisDeviceAuthorizationStoreTest extends DeviceAuthorizationStoreContract {

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> direct;

    private String prefix;

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
    protected DeviceAuthorizationStore createStore(MutableClock clock) {
        prefix = RedisTestSupport.randomPrefix();
        return RedisDeviceAuthorizationStore.builder().connection(new RedisConnection(direct, prefix)).build();
    }

    @Override
    protected void closeStore(DeviceAuthorizationStore store) {
        RedisTestSupport.deleteAll(direct, prefix);
    }

    @Override
    protected Iterable<String> dumpPersistedState() {
        return RedisTestSupport.dump(direct, prefix);
    }

    @Test
    void createThenEveryFinderReturnsTheRecord() throws Exception {
        DeviceAuthorization record = pending(START);

        store.create(record, START, Long.MAX_VALUE);

        assertThat(store.findByDeviceCodeHash("tenant-a", record.deviceCodeHash())).contains(record);
        assertThat(store.findByUserCodeHash("tenant-a", record.userCodeHash())).contains(record);
        assertThat(store.findById("tenant-a", record.id())).contains(record);
        assertThat(store.findById("tenant-b", record.id())).isEmpty();
    }

    @Test
    void createThenEveryKeyLivesUntilExpiresAtPlusRetention() throws Exception {
        DeviceAuthorization record = pending(START);

        store.create(record, START.plus(Duration.ofMinutes(4)), Long.MAX_VALUE);

        // 10 min lifetime - 4 min already gone + 10 min retention
        long expected = Duration.ofMinutes(16).toMillis();
        List<String> keys = RedisTestSupport.keys(direct.sync(), prefix);
        assertThat(keys).hasSizeGreaterThanOrEqualTo(6);
        for (String key : keys) {
            assertThat(direct.sync().pttl(key)).as(key).isBetween(expected - 5_000, expected);
        }
    }

    @Test
    void createWhenTenantHasBracesThenKeysStayInOneSlotAndApart() throws Exception {
        DeviceAuthorization odd = pending("a}b{c%", "client{x}", START);
        DeviceAuthorization plain = odd.toBuilder().tenant("a").build();

        store.create(odd, START, Long.MAX_VALUE);
        store.create(plain, START, Long.MAX_VALUE);

        assertThat(store.findByDeviceCodeHash("a}b{c%", odd.deviceCodeHash())).contains(odd);
        assertThat(store.findByDeviceCodeHash("a", odd.deviceCodeHash())).contains(plain);
        assertThat(store.countPending("a}b{c%", "client{x}", START)).isEqualTo(1);
    }

    @Test
    @DisplayName("SECURITY-TESTS row 12: an unexpired holder of the user code blocks, nothing is overwritten")
    void createWhenUserCodeHeldThenCollision() throws Exception {
        DeviceAuthorization holder = pending(START);
        store.create(holder, START, Long.MAX_VALUE);
        DeviceAuthorization intruder = pending(START).toBuilder().userCodeHash(holder.userCodeHash()).build();

        assertThatThrownBy(() -> store.create(intruder, holder.expiresAt().minusMillis(1), Long.MAX_VALUE))
                .isInstanceOf(UserCodeCollisionException.class);

        assertThat(store.findByUserCodeHash("tenant-a", holder.userCodeHash())).contains(holder);
        assertThat(store.findByDeviceCodeHash("tenant-a", intruder.deviceCodeHash())).isEmpty();
        assertThat(store.findById("tenant-a", intruder.id())).isEmpty();
    }

    @Test
    void createWhenHolderExpiredThenTakeover() throws Exception {
        DeviceAuthorization holder = pending(START);
        store.create(holder, START, Long.MAX_VALUE);
        DeviceAuthorization successor = pending(holder.expiresAt()).toBuilder()
                .userCodeHash(holder.userCodeHash()).build();

        store.create(successor, holder.expiresAt(), Long.MAX_VALUE);

        assertThat(store.findByUserCodeHash("tenant-a", holder.userCodeHash())).contains(successor);
        assertThat(store.findByDeviceCodeHash("tenant-a", holder.deviceCodeHash())).contains(holder);
    }

    @Test
    void createWhenIdOrDeviceCodeHashExistsThenIllegalArgumentWithoutTheValues() throws Exception {
        DeviceAuthorization original = pending(START);
        store.create(original, START, Long.MAX_VALUE);
        DeviceAuthorization sameId = pending(START).toBuilder().id(original.id()).build();
        DeviceAuthorization sameHash = pending(START).toBuilder().deviceCodeHash(original.deviceCodeHash()).build();

        assertThatThrownBy(() -> store.create(sameId, START, Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain(original.id());
        assertThatThrownBy(() -> store.create(sameHash, START, Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain(original.deviceCodeHash());

        assertThat(store.findByUserCodeHash("tenant-a", sameId.userCodeHash())).isEmpty();
        assertThat(store.findById("tenant-a", sameHash.id())).isEmpty();
    }

    @Test
    void replaceWhenVersionMatchesThenStoredKeepsTtlAndLeavesPending() throws Exception {
        DeviceAuthorization record = pending(START);
        store.create(record, START, Long.MAX_VALUE);
        String recordKey = new KeySchema(prefix).record("tenant-a", record.id());
        long ttlBefore = direct.sync().pttl(recordKey);

        assertThat(store.replace(0, approved(record, START))).isTrue();

        assertThat(store.findById("tenant-a", record.id())).contains(approved(record, START));
        assertThat(direct.sync().pttl(recordKey)).isBetween(ttlBefore - 5_000, ttlBefore);
        assertThat(store.countPending("tenant-a", START)).isZero();
        assertThat(store.countPending("tenant-a", "tv-client", START)).isZero();
    }

    @Test
    void replaceWhenVersionStaleOrRecordMissingThenFalse() throws Exception {
        DeviceAuthorization record = pending(START);
        store.create(record, START, Long.MAX_VALUE);
        assertThat(store.replace(0, approved(record, START))).isTrue();

        assertThat(store.replace(0, approved(record, START))).isFalse();
        assertThat(store.replace(0, approved(pending(START), START))).isFalse();
    }

    @Test
    void replaceWhenIdentityChangesThenIllegalArgumentAndNothingChanges() throws Exception {
        DeviceAuthorization record = pending(START);
        store.create(record, START, Long.MAX_VALUE);
        DeviceAuthorization moved = approved(record, START).toBuilder()
                .expiresAt(record.expiresAt().plusSeconds(1)).build();

        assertThatThrownBy(() -> store.replace(0, moved)).isInstanceOf(IllegalArgumentException.class);

        assertThat(store.findById("tenant-a", record.id())).contains(record);
    }

    @Test
    void deleteExpiredThenOnlyEarlierRecordsAndTheirIndexesGo() throws Exception {
        DeviceAuthorization early = pending(START);
        DeviceAuthorization late = pending(START.plusSeconds(1));
        store.create(early, START, Long.MAX_VALUE);
        store.create(late, START, Long.MAX_VALUE);

        assertThat(store.deleteExpired(late.expiresAt(), 10)).isEqualTo(1);

        assertThat(store.findByDeviceCodeHash("tenant-a", early.deviceCodeHash())).isEmpty();
        assertThat(store.findByUserCodeHash("tenant-a", early.userCodeHash())).isEmpty();
        assertThat(store.findById("tenant-a", late.id())).contains(late);
        KeySchema keys = new KeySchema(prefix);
        assertThat(direct.sync().exists(keys.record("tenant-a", early.id()),
                keys.deviceCodeIndex("tenant-a", early.deviceCodeHash()),
                keys.userCodeIndex("tenant-a", early.userCodeHash()))).isZero();
    }

    @Test
    @DisplayName("SECURITY-TESTS row 27: with replica acknowledgements required and none arriving, replace fails closed")
    void replaceWhenReplicaAcknowledgementsMissingThenStoreUnavailable() throws Exception {
        assumeTrue(direct.sync().info("replication").contains("connected_slaves:0"),
                "this test needs a Redis without replicas, so that WAIT 1 cannot be satisfied");
        try (StatefulRedisConnection<String, String> own = client.connect()) {
            RedisDeviceAuthorizationStore waiting = RedisDeviceAuthorizationStore.builder()
                    .connection(new RedisConnection(own, prefix)).replicaAcknowledgements(1, Duration.ofMillis(50)).build();
            DeviceAuthorization record = pending(START);
            waiting.create(record, START, Long.MAX_VALUE);
            DeviceAuthorization approvedRecord = approved(record, START);

            assertThatThrownBy(() -> waiting.replace(0, approvedRecord))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("0 of 1 required replicas");

            // SPI: after StoreUnavailableException the stored record is unchanged or next, never else
            assertThat(store.findById("tenant-a", record.id())).contains(approvedRecord);
            assertThat(waiting.replace(0, approvedRecord)).isFalse();
        }
    }

    @Test
    void builderWhenSettingOutOfRangeThenMessageNamesIt() {
        RedisConnection redis = RedisConnection.of(direct);
        assertThatThrownBy(() -> RedisDeviceAuthorizationStore.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("connection");
        assertThatThrownBy(() -> RedisDeviceAuthorizationStore.builder().connection(redis).connection(redis))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("connection");
        assertThatThrownBy(() -> RedisDeviceAuthorizationStore.builder().connection(redis)
                .tombstoneRetention(Duration.ofMillis(999)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tombstoneRetention");
        assertThatThrownBy(() -> RedisDeviceAuthorizationStore.builder().connection(redis)
                .replicaAcknowledgements(0, Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replicaAcknowledgements");
        assertThatThrownBy(() -> RedisDeviceAuthorizationStore.builder()
                .tombstoneRetention(Duration.ofMinutes(1)).tombstoneRetention(Duration.ofMinutes(2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tombstoneRetention");
        assertThat(RedisDeviceAuthorizationStore.builder().connection(redis).build().tombstoneRetention())
                .isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void findWhenStoredFormatIsNewerThenStoreUnavailableWithoutTheValue() throws Exception {
        DeviceAuthorization record = pending(START);
        store.create(record, START, Long.MAX_VALUE);
        String recordKey = new KeySchema(prefix).record("tenant-a", record.id());
        direct.sync().hset(recordKey, "j", "{\"v\":2,\"deviceCodeHash\":\"" + record.deviceCodeHash() + "\"}");

        assertThatThrownBy(() -> store.findByDeviceCodeHash("tenant-a", record.deviceCodeHash()))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("format version 2")
                .message().doesNotContain(record.deviceCodeHash());
    }

    @Test
    void createIsOneRoundTripAndPollIsTwo() throws Exception {
        RedisClient counted = RedisTestSupport.client();
        AtomicInteger commands = new AtomicInteger();
        counted.addListener(new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                commands.incrementAndGet();
            }
        });
        try (StatefulRedisConnection<String, String> connection = counted.connect()) {
            RedisDeviceAuthorizationStore countedStore = RedisDeviceAuthorizationStore.builder()
                    .connection(new RedisConnection(connection, prefix)).build();
            DeviceAuthorization warmUp = pending(START);
            countedStore.create(warmUp, START, Long.MAX_VALUE);
            countedStore.replace(0, approved(countedStore.findByDeviceCodeHash("tenant-a",
                    warmUp.deviceCodeHash()).orElseThrow(), START));
            DeviceAuthorization record = approved(pending(START), START).toBuilder().version(0).build();

            commands.set(0);
            countedStore.create(record, START, Long.MAX_VALUE);
            int createTrips = commands.getAndSet(0);
            DeviceAuthorization found = countedStore.findByDeviceCodeHash("tenant-a", record.deviceCodeHash())
                    .orElseThrow();
            boolean consumed = countedStore.replace(found.version(),
                    found.toBuilder().status(AuthorizationStatus.CONSUMED).nextVersion().build());
            int pollTrips = commands.get();

            assertThat(consumed).isTrue();
            assertThat(createTrips).isEqualTo(1);
            assertThat(pollTrips).isEqualTo(2);
        } finally {
            counted.shutdown();
        }
    }

    @Test
    @DisplayName("SECURITY-TESTS row 1: 64 threads on two nodes consume one approval, exactly one wins, 50 times")
    void replaceRaceOnTwoConnectionsThenExactlyOneWinner() throws Exception {
        try (StatefulRedisConnection<String, String> second = client.connect()) {
            DeviceAuthorizationStore nodeA = store;
            RedisDeviceAuthorizationStore nodeB = RedisDeviceAuthorizationStore.builder()
                    .connection(new RedisConnection(second, prefix)).build();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                for (int round = 0; round < 50; round++) {
                    DeviceAuthorization created = pending(START);
                    nodeA.create(created, START, Long.MAX_VALUE);
                    DeviceAuthorization approvedRecord = approved(created, START);
                    assertThat(nodeA.replace(0, approvedRecord)).isTrue();
                    List<Callable<Boolean>> polls = new ArrayList<>();
                    for (int i = 0; i < THREADS; i++) {
                        DeviceAuthorizationStore node = i % 2 == 0 ? nodeA : nodeB;
                        DeviceAuthorization consumed = approvedRecord.toBuilder().status(AuthorizationStatus.CONSUMED)
                                .lastPolledAt(START.plusMillis(i)).nextVersion().build();
                        polls.add(() -> node.replace(1, consumed));
                    }

                    List<Boolean> won = raceAll(pool, polls);

                    assertThat(won).as("round %d", round).containsOnlyOnce(true);
                    assertThat(nodeB.findById("tenant-a", created.id()).orElseThrow().lastPolledAt())
                            .as("round %d", round).isEqualTo(START.plusMillis(won.indexOf(true)));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    @DisplayName("SECURITY-TESTS row 12: 64 threads on two nodes create one user code, exactly one succeeds")
    void createRaceOnOneUserCodeThenExactlyOneRecord() throws Exception {
        try (StatefulRedisConnection<String, String> second = client.connect()) {
            RedisDeviceAuthorizationStore nodeB = RedisDeviceAuthorizationStore.builder()
                    .connection(new RedisConnection(second, prefix)).build();
            String userCodeHash = pending(START).userCodeHash();
            List<DeviceAuthorization> candidates = new ArrayList<>();
            List<Callable<Boolean>> creates = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                for (int i = 0; i < THREADS; i++) {
                    DeviceAuthorization candidate = pending(START).toBuilder().userCodeHash(userCodeHash).build();
                    DeviceAuthorizationStore node = i % 2 == 0 ? store : nodeB;
                    candidates.add(candidate);
                    creates.add(() -> {
                        try {
                            node.create(candidate, START, Long.MAX_VALUE);
                            return true;
                        } catch (UserCodeCollisionException expected) {
                            return false;
                        }
                    });
                }

                List<Boolean> created = raceAll(pool, creates);

                assertThat(created).containsOnlyOnce(true);
                DeviceAuthorization winner = candidates.get(created.indexOf(true));
                assertThat(store.findByUserCodeHash("tenant-a", userCodeHash)).contains(winner);
                assertThat(store.countPending("tenant-a", START)).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    @DisplayName("REQ-UC-4: 64 threads on two nodes create under a pending cap of 10, exactly 10 succeed")
    void createRaceUnderPendingCapOnTwoConnectionsThenExactlyTheCap() throws Exception {
        try (StatefulRedisConnection<String, String> second = client.connect()) {
            RedisDeviceAuthorizationStore nodeB = RedisDeviceAuthorizationStore.builder()
                    .connection(new RedisConnection(second, prefix)).build();
            List<Callable<Boolean>> creates = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                for (int i = 0; i < THREADS; i++) {
                    DeviceAuthorization candidate = pending(START);
                    DeviceAuthorizationStore node = i % 2 == 0 ? store : nodeB;
                    creates.add(() -> {
                        try {
                            node.create(candidate, START, 10);
                            return true;
                        } catch (PendingLimitExceededException expected) {
                            return false;
                        }
                    });
                }

                List<Boolean> created = raceAll(pool, creates);

                assertThat(created.stream().filter(Boolean::booleanValue).count()).isEqualTo(10);
                assertThat(nodeB.countPending("tenant-a", START)).isEqualTo(10);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static List<Boolean> raceAll(ExecutorService pool, List<Callable<Boolean>> steps) throws Exception {
        CountDownLatch ready = new CountDownLatch(steps.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (Callable<Boolean> step : steps) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                start.await(30, TimeUnit.SECONDS);
                return step.call();
            }));
        }
        assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
        start.countDown();
        List<Boolean> results = new ArrayList<>();
        for (Future<Boolean> future : futures) {
            results.add(future.get(30, TimeUnit.SECONDS));
        }
        return results;
    }
}
