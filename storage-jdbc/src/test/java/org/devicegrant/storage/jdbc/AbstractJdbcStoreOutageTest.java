package org.devicegrant.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.storage.jdbc.Records.LIFETIME;
import static org.devicegrant.storage.jdbc.Records.T0;
import static org.devicegrant.storage.jdbc.Records.pending;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.AuthorizationStatus;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.RefreshTokenMatch;
import org.devicegrant.storage.StoreUnavailableException;
import org.devicegrant.storage.tck.LoopbackProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Security row 24 (store down) and row 25 (partial failure) on a real server: a pool reaches
 * the database through a {@link LoopbackProxy} that is cut while operations are in flight. The
 * truth is read through a direct connection that bypasses the proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractJdbcStoreOutageTest {

    private static final long TIMEOUT_SECONDS = 20;

    private final TestDatabase database;
    private LoopbackProxy proxy;
    private HikariDataSource proxiedPool;
    private HikariDataSource directPool;
    private JdbcDeviceAuthorizationStore store;
    private JdbcDeviceAuthorizationStore direct;
    private String table;
    private ExecutorService caller;

    AbstractJdbcStoreOutageTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void start() throws Exception {
        database.assumeAvailable();
        String tablePrefix = TestDatabase.randomTablePrefix();
        proxy = new LoopbackProxy("127.0.0.1", database.port);
        proxiedPool = database.pool("proxied-" + database.name(), 2, proxy.port(), 500);
        directPool = database.pool("direct-" + database.name(), 2);
        store = JdbcDeviceAuthorizationStore.of(
                JdbcConnection.of(proxiedPool).withTablePrefix(tablePrefix).withDialect(database.dialect));
        direct = JdbcDeviceAuthorizationStore.of(JdbcConnection.of(directPool).withTablePrefix(tablePrefix));
        direct.createSchema();
        table = direct.tableName();
        caller = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (caller != null) {
            caller.shutdownNow();
            assertThat(caller.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        if (proxiedPool != null) {
            proxiedPool.close();
            directPool.close();
            proxy.close();
            database.dropTable(table);
        }
    }

    @BeforeEach
    void emptyTable() throws Exception {
        proxy.restore();
        awaitRecovered();
        database.deleteAllRows(table);
    }

    @AfterEach
    void noConnectionLeaked() {
        proxy.restore();
        assertThat(proxiedPool.getHikariPoolMXBean().getActiveConnections()).isZero();
    }

    @Test
    @DisplayName("security row 24: while cut, every call is StoreUnavailableException and nothing changes; after restore the CAS wins once")
    void everyOperationWhenConnectionsCutThenStoreUnavailableAndAfterRestoreCompareAndSetWinsOnce() throws Exception {
        DeviceAuthorization approved = approvedRecord();
        store.create(approved, T0, Long.MAX_VALUE);
        DeviceAuthorization consumed = approved.toBuilder().status(AuthorizationStatus.CONSUMED).nextVersion().build();

        proxy.cut();

        List<ThrowingCallable> calls = List.of(
                () -> store.create(pending("t1", "b").build(), T0, Long.MAX_VALUE),
                () -> store.findById("t1", approved.id()),
                () -> store.findByDeviceCodeHash("t1", approved.deviceCodeHash()),
                () -> store.findByUserCodeHash("t1", approved.userCodeHash()),
                () -> store.replace(1, consumed),
                () -> store.deleteExpired(T0.plus(LIFETIME).plusSeconds(1), 10),
                () -> store.countPending("t1", T0),
                () -> store.countPending("t1", "tv-app", T0),
                store::createSchema);
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageNotContaining(approved.deviceCodeHash())
                    .hasMessageNotContaining(approved.userCodeHash());
        }
        assertThat(direct.findById("t1", approved.id())).contains(approved);
        assertThat(rowCount()).isEqualTo(1);

        proxy.restore();
        awaitRecovered();

        assertThat(store.replace(1, consumed)).isTrue();
        assertThat(store.replace(1, consumed)).isFalse();
        assertThat(direct.findById("t1", approved.id())).contains(consumed);
    }

    @Test
    @DisplayName("security row 25: the CAS is cut before the server sees it; unchanged, then wins exactly once")
    void replaceWhenCutWhileRequestWithheldThenUnchangedAndLaterWinsExactlyOnce() throws Exception {
        DeviceAuthorization approved = approvedRecord();
        store.create(approved, T0, Long.MAX_VALUE);
        DeviceAuthorization consumed = approved.toBuilder().status(AuthorizationStatus.CONSUMED).nextVersion().build();

        proxy.holdRequestsAfter(0);
        Future<Boolean> inFlight = caller.submit(() -> store.replace(1, consumed));
        assertThat(proxy.awaitHeldChunk(Duration.ofSeconds(TIMEOUT_SECONDS))).isTrue();
        proxy.cut();

        assertThatThrownBy(() -> inFlight.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StoreUnavailableException.class);
        assertThat(direct.findById("t1", approved.id())).contains(approved);

        proxy.restore();
        awaitRecovered();

        assertThat(store.replace(1, consumed)).isTrue();
        assertThat(store.replace(1, consumed)).isFalse();
    }

    @Test
    @DisplayName("security row 25: the CAS is cut after the server committed; the record is next, and the retry loses")
    void replaceWhenCutWhileResponseWithheldThenRecordIsNextAndRetryLoses() throws Exception {
        DeviceAuthorization approved = approvedRecord();
        store.create(approved, T0, Long.MAX_VALUE);
        store.findById("t1", approved.id());
        DeviceAuthorization consumed = approved.toBuilder().status(AuthorizationStatus.CONSUMED).nextVersion().build();

        proxy.holdResponses();
        Future<Boolean> inFlight = caller.submit(() -> store.replace(1, consumed));
        assertThat(proxy.awaitHeldChunk(Duration.ofSeconds(TIMEOUT_SECONDS))).isTrue();
        proxy.cut();

        assertThatThrownBy(() -> inFlight.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StoreUnavailableException.class);
        DeviceAuthorization stored = direct.findById("t1", approved.id()).orElseThrow();
        assertThat(stored).isIn(approved, consumed);

        proxy.restore();
        awaitRecovered();

        boolean retryWon = store.replace(1, consumed);
        assertThat(retryWon).isEqualTo(stored.equals(approved));
        assertThat(direct.findById("t1", approved.id())).contains(consumed);
    }

    @Test
    @DisplayName("security row 25: a takeover cut after k request chunks, for every k, is all or nothing")
    void createWhenTakeoverCutAfterAnyNumberOfChunksThenAllOrNothing() throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (int k = 0; k <= 12; k++) {
            database.deleteAllRows(table);
            DeviceAuthorization holder = pending("t1", "holder").build();
            direct.create(holder, T0, Long.MAX_VALUE);
            Instant later = holder.expiresAt();
            DeviceAuthorization taker = pending("t1", "taker").userCodeHash(holder.userCodeHash())
                    .createdAt(later).expiresAt(later.plus(LIFETIME)).build();
            store.findById("t1", holder.id());

            proxy.holdRequestsAfter(k);
            Future<?> inFlight = caller.submit(() -> {
                store.create(taker, later, Long.MAX_VALUE);
                return null;
            });
            boolean held = false;
            for (int wait = 0; wait < 400 && !held && !inFlight.isDone(); wait++) {
                held = proxy.awaitHeldChunk(Duration.ofMillis(50));
            }
            if (held) {
                proxy.cut();
            }
            String outcome;
            try {
                inFlight.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                outcome = "created";
            } catch (ExecutionException e) {
                assertThat(e).as("k=%d", k).hasCauseInstanceOf(StoreUnavailableException.class);
                outcome = "unavailable";
            }
            proxy.restore();
            awaitRecovered();
            outcomes.add(outcome);

            DeviceAuthorization activeHolder = direct.findByUserCodeHash("t1", holder.userCodeHash()).orElseThrow();
            if (direct.findById("t1", taker.id()).isPresent()) {
                assertThat(activeHolder).as("k=%d", k).isEqualTo(taker);
            } else {
                assertThat(outcome).as("k=%d", k).isEqualTo("unavailable");
                assertThat(activeHolder).as("k=%d: the holder keeps its code when nothing was created", k)
                        .isEqualTo(holder);
            }
            assertThat(direct.findById("t1", holder.id())).contains(holder);
        }
        assertThat(outcomes).contains("unavailable", "created");
    }

    @Test
    @DisplayName("security row 24: while cut the shared limiter fails closed and charges nothing")
    void tryAcquireWhenConnectionsCutThenStoreUnavailableAndNothingCharged() {
        String prefix = TestDatabase.randomTablePrefix();
        JdbcAttemptLimiter direct = JdbcAttemptLimiter.builder()
                .connection(JdbcConnection.of(directPool).withTablePrefix(prefix)).build();
        JdbcAttemptLimiter proxied = JdbcAttemptLimiter.builder()
                .connection(JdbcConnection.of(proxiedPool).withTablePrefix(prefix).withDialect(database.dialect)).build();
        direct.createSchema();
        try {
            assertThat(proxied.tryAcquire("t1", "ip:1", T0).allowed()).isTrue();

            proxy.cut();
            assertThatThrownBy(() -> proxied.tryAcquire("t1", "ip:1", T0)).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageNotContaining("ip:1");
            assertThatThrownBy(() -> proxied.recordSuccess("t1", "ip:1", T0))
                    .isInstanceOf(StoreUnavailableException.class);
            proxy.restore();
            awaitRecovered();

            int allowed = 0;
            while (allowed < 10 && proxied.tryAcquire("t1", "ip:1", T0).allowed()) {
                allowed++;
            }
            assertThat(allowed).as("the burst of 5 minus the one charge before the cut").isEqualTo(4);
        } finally {
            database.dropLimiterTables(prefix);
        }
    }

    @Test
    @DisplayName("security row 24: while cut every grant-store call is StoreUnavailableException naming no hash; after restore the rotation wins once")
    void grantStoreWhenConnectionsCutThenStoreUnavailableAndAfterRestoreRotationWinsOnce() {
        String prefix = TestDatabase.randomTablePrefix();
        JdbcConnection directConnection = JdbcConnection.of(directPool).withTablePrefix(prefix);
        JdbcGrantStore directGrants = JdbcGrantStore.of(directConnection);
        JdbcGrantStore grants = JdbcGrantStore.of(
                JdbcConnection.of(proxiedPool).withTablePrefix(prefix).withDialect(database.dialect));
        directGrants.createSchema();
        try {
            Grant grant = Grants.active("t1", "a").build();
            grants.create(grant);
            Grant rotated = Grants.rotated(grant, "rth-a-1", 60);

            proxy.cut();
            List<ThrowingCallable> calls = List.of(
                    () -> grants.create(Grants.active("t1", "b").build()),
                    () -> grants.findById("t1", grant.id()),
                    () -> grants.findByRefreshTokenHash("t1", grant.refreshTokenHash()),
                    () -> grants.replace(0, rotated),
                    () -> grants.listActive("t1", "alice", T0),
                    () -> grants.deleteExpired(T0.plus(Grants.IDLE).plusSeconds(1), 10),
                    grants::createSchema);
            for (ThrowingCallable call : calls) {
                assertThatThrownBy(call).isInstanceOf(StoreUnavailableException.class)
                        .hasMessageNotContaining(grant.refreshTokenHash())
                        .hasMessageNotContaining(rotated.refreshTokenHash());
            }
            assertThat(directGrants.findById("t1", grant.id())).contains(grant);
            assertThat(directGrants.findById("t1", "gid-b")).isEmpty();

            proxy.restore();
            awaitRecovered();

            assertThat(grants.replace(0, rotated)).isTrue();
            assertThat(grants.replace(0, rotated)).isFalse();
            assertThat(directGrants.findByRefreshTokenHash("t1", grant.refreshTokenHash()))
                    .contains(new RefreshTokenMatch(rotated, false));
        } finally {
            database.dropTables(directConnection.grantRefreshTokenTable(), directConnection.grantTable());
        }
    }

    @Test
    @DisplayName("security row 25: a rotation cut after k request chunks, for every k, is all or nothing")
    void grantReplaceWhenCutAfterAnyNumberOfChunksThenAllOrNothing() throws Exception {
        String prefix = TestDatabase.randomTablePrefix();
        JdbcConnection directConnection = JdbcConnection.of(directPool).withTablePrefix(prefix);
        JdbcGrantStore directGrants = JdbcGrantStore.of(directConnection);
        JdbcGrantStore grants = JdbcGrantStore.of(
                JdbcConnection.of(proxiedPool).withTablePrefix(prefix).withDialect(database.dialect));
        directGrants.createSchema();
        try {
            List<String> outcomes = new ArrayList<>();
            for (int k = 0; k <= 14; k++) {
                Grant grant = Grants.active("t1", "k" + k).build();
                directGrants.create(grant);
                Grant rotated = Grants.rotated(grant, "rth-k" + k + "-1", 60);
                grants.findById("t1", grant.id());

                proxy.holdRequestsAfter(k);
                Future<Boolean> inFlight = caller.submit(() -> grants.replace(0, rotated));
                boolean held = false;
                for (int wait = 0; wait < 400 && !held && !inFlight.isDone(); wait++) {
                    held = proxy.awaitHeldChunk(Duration.ofMillis(50));
                }
                if (held) {
                    proxy.cut();
                }
                String outcome;
                try {
                    assertThat(inFlight.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("k=%d", k).isTrue();
                    outcome = "replaced";
                } catch (ExecutionException e) {
                    assertThat(e).as("k=%d", k).hasCauseInstanceOf(StoreUnavailableException.class);
                    outcome = "unavailable";
                }
                proxy.restore();
                awaitRecovered();
                outcomes.add(outcome);

                Grant stored = directGrants.findById("t1", grant.id()).orElseThrow();
                if (stored.equals(rotated)) {
                    assertThat(directGrants.findByRefreshTokenHash("t1", grant.refreshTokenHash())).as("k=%d", k)
                            .contains(new RefreshTokenMatch(rotated, false));
                    assertThat(directGrants.findByRefreshTokenHash("t1", rotated.refreshTokenHash())).as("k=%d", k)
                            .contains(new RefreshTokenMatch(rotated, true));
                } else {
                    assertThat(outcome).as("k=%d", k).isEqualTo("unavailable");
                    assertThat(stored).as("k=%d", k).isEqualTo(grant);
                    assertThat(directGrants.findByRefreshTokenHash("t1", grant.refreshTokenHash())).as("k=%d", k)
                            .contains(new RefreshTokenMatch(grant, true));
                    assertThat(directGrants.findByRefreshTokenHash("t1", rotated.refreshTokenHash())).as("k=%d", k)
                            .isEmpty();
                }
            }
            assertThat(outcomes).contains("unavailable", "replaced");
        } finally {
            database.dropTables(directConnection.grantRefreshTokenTable(), directConnection.grantTable());
        }
    }

    /**
     * After a restore the pool may still be backing off from failed connection attempts:
     * retries a cheap read until it answers, at most 40 times (each bounded by the pool's
     * 500 ms connection timeout).
     */
    private void awaitRecovered() {
        for (int attempt = 0; attempt < 40; attempt++) {
            try {
                store.countPending("t1", T0);
                return;
            } catch (StoreUnavailableException e) {
                // not yet
            }
        }
        throw new AssertionError("the store did not recover within 40 attempts after the proxy was restored");
    }

    private static DeviceAuthorization approvedRecord() {
        return pending("t1", "a").status(AuthorizationStatus.APPROVED).subject("alice").version(1).build();
    }

    private long rowCount() throws Exception {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM " + table);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
