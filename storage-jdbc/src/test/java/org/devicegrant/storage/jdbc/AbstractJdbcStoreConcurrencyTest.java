package org.devicegrant.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.storage.jdbc.Records.LIFETIME;
import static org.devicegrant.storage.jdbc.Records.T0;
import static org.devicegrant.storage.jdbc.Records.pending;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.PendingLimitExceededException;
import org.devicegrant.storage.AuthorizationStatus;
import org.devicegrant.storage.UserCodeCollisionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Races on one database through two pools, standing for two nodes: 64 threads released at
 * once by a barrier. Every wait is bounded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractJdbcStoreConcurrencyTest {

    private static final int THREADS = 64;
    private static final int REPETITIONS = 50;
    private static final long TIMEOUT_SECONDS = 60;
    private static final int POOL_SIZE = 12;

    private final TestDatabase database;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<JdbcDeviceAuthorizationStore> nodes = new ArrayList<>();
    private String table;
    private ExecutorService threads;

    AbstractJdbcStoreConcurrencyTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void startTwoNodes() {
        database.assumeAvailable();
        String tablePrefix = TestDatabase.randomTablePrefix();
        for (String node : List.of("node-a", "node-b")) {
            HikariDataSource pool = database.pool(node + "-" + database.name(), POOL_SIZE);
            pools.add(pool);
            nodes.add(JdbcDeviceAuthorizationStore.of(JdbcConnection.of(pool).withTablePrefix(tablePrefix)));
        }
        nodes.get(0).createSchema();
        table = nodes.get(0).tableName();
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    void stopNodes() throws InterruptedException {
        if (threads != null) {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        pools.forEach(HikariDataSource::close);
        if (!pools.isEmpty()) {
            database.dropTable(table);
        }
    }

    @Test
    @DisplayName("security row 1: 64 threads on two nodes consume one approved record; exactly one wins, 50 times")
    void replaceWhenManyThreadsOnTwoNodesConsumeTheSameRecordThenExactlyOneWins() throws Exception {
        for (int repetition = 0; repetition < REPETITIONS; repetition++) {
            DeviceAuthorization approved = pending("t1", "race" + repetition)
                    .status(AuthorizationStatus.APPROVED).subject("alice").version(1).build();
            nodes.get(0).create(approved, T0, Long.MAX_VALUE);
            DeviceAuthorization consumed = approved.toBuilder().status(AuthorizationStatus.CONSUMED).nextVersion().build();

            Map<String, Integer> outcomes = race(thread -> nodes.get(thread % 2).replace(1, consumed) ? "won" : "lost");

            assertThat(outcomes).as("repetition %d", repetition).containsExactlyInAnyOrderEntriesOf(
                    Map.of("won", 1, "lost", THREADS - 1));
            assertThat(nodes.get(1).findById("t1", approved.id())).contains(consumed);
        }
    }

    @Test
    @DisplayName("security row 12: 64 threads on two nodes create records with one user-code hash; exactly one wins")
    void createWhenManyThreadsUseTheSameUserCodeThenExactlyOneWins() throws Exception {
        for (int repetition = 0; repetition < 10; repetition++) {
            String userCodeHash = "uch-shared-" + repetition;
            int round = repetition;

            Map<String, Integer> outcomes = race(thread -> {
                nodes.get(thread % 2).create(
                        pending("t1", "c" + round + "-" + thread).userCodeHash(userCodeHash).build(), T0, Long.MAX_VALUE);
                return "created";
            });

            assertThat(outcomes).as("repetition %d", repetition).containsExactlyInAnyOrderEntriesOf(
                    Map.of("created", 1, UserCodeCollisionException.class.getSimpleName(), THREADS - 1));
            assertThat(nodes.get(0).countPending("t1", T0)).isEqualTo(repetition + 1);
        }
    }

    @Test
    @DisplayName("security row 12: 64 threads on two nodes take over one expired holder's user code; exactly one wins")
    void createWhenManyThreadsTakeOverTheSameExpiredHolderThenExactlyOneWins() throws Exception {
        for (int repetition = 0; repetition < 10; repetition++) {
            String userCodeHash = "uch-expired-" + repetition;
            DeviceAuthorization holder = pending("t2", "holder" + repetition).userCodeHash(userCodeHash).build();
            nodes.get(0).create(holder, T0, Long.MAX_VALUE);
            Instant later = holder.expiresAt();
            int round = repetition;

            Map<String, Integer> outcomes = race(thread -> {
                nodes.get(thread % 2).create(pending("t2", "x" + round + "-" + thread).userCodeHash(userCodeHash)
                        .createdAt(later).expiresAt(later.plus(LIFETIME)).build(), later, Long.MAX_VALUE);
                return "created";
            });

            assertThat(outcomes).as("repetition %d", repetition).containsExactlyInAnyOrderEntriesOf(
                    Map.of("created", 1, UserCodeCollisionException.class.getSimpleName(), THREADS - 1));
            assertThat(nodes.get(1).findByUserCodeHash("t2", userCodeHash).orElseThrow().id()).startsWith("id-x");
            assertThat(nodes.get(1).findByDeviceCodeHash("t2", holder.deviceCodeHash())).contains(holder);
        }
    }

    @Test
    @DisplayName("REQ-UC-4: 64 racing creates on two pools of 12 under a pending cap of 10 leave 10 to 33 pending")
    void createWhenManyThreadsRaceForTheLastPendingSlotsThenCapHoldsWithinTheDocumentedBound() throws Exception {
        Map<String, Integer> outcomes = race(thread -> {
            nodes.get(thread % 2).create(pending("t3", "cap-" + thread).build(), T0, 10);
            return "created";
        });

        // overlapping inserts do not see each other: at most one per pooled connection beyond the cap
        int created = outcomes.getOrDefault("created", 0);
        assertThat(outcomes).containsOnlyKeys("created", PendingLimitExceededException.class.getSimpleName());
        assertThat(created).isBetween(10, 10 + 2 * POOL_SIZE - 1);
        assertThat(nodes.get(0).countPending("t3", T0)).isEqualTo(created);
        assertThatThrownBy(() -> nodes.get(1).create(pending("t3", "cap-after").build(), T0, 10))
                .isInstanceOf(PendingLimitExceededException.class);
    }

    @FunctionalInterface
    private interface Attempt {
        String run(int thread) throws Exception;
    }

    /** Runs {@code attempt} on {@link #THREADS} threads released together; outcome counts by name. */
    private Map<String, Integer> race(Attempt attempt) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<String>> futures = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            int id = thread;
            Callable<String> task = () -> {
                start.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                try {
                    return attempt.run(id);
                } catch (Exception e) {
                    return e.getClass().getSimpleName();
                }
            };
            futures.add(threads.submit(task));
        }
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        AtomicInteger done = new AtomicInteger();
        for (Future<String> future : futures) {
            outcomes.merge(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), 1, Integer::sum);
            done.incrementAndGet();
        }
        assertThat(done).hasValue(THREADS);
        return outcomes;
    }
}
