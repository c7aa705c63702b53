package org.devicegrant.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.storage.jdbc.Grants.active;
import static org.devicegrant.storage.jdbc.Grants.rotated;
import static org.devicegrant.storage.jdbc.Records.T0;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.RefreshTokenMatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The JDBC grant store's own behaviour on one database; a subclass per database. Each class gets
 * fresh tables, emptied before every test and dropped after the class. Two pools stand for two
 * nodes in the races.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractJdbcGrantStoreTest {

    private static final int THREADS = 64;
    private static final long TIMEOUT_SECONDS = 60;

    private final TestDatabase database;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private JdbcConnection connection;
    private JdbcGrantStore store;
    private JdbcGrantStore otherNode;
    private ExecutorService threads;

    AbstractJdbcGrantStoreTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void createTables() {
        database.assumeAvailable();
        String tablePrefix = TestDatabase.randomTablePrefix();
        pools.add(database.pool("grants-a-" + database.name(), 12));
        pools.add(database.pool("grants-b-" + database.name(), 12));
        connection = JdbcConnection.of(pools.get(0)).withTablePrefix(tablePrefix);
        store = JdbcGrantStore.of(connection);
        otherNode = JdbcGrantStore.of(JdbcConnection.of(pools.get(1)).withTablePrefix(tablePrefix));
        store.createSchema();
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    void dropTables() throws InterruptedException {
        if (threads != null) {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        pools.forEach(HikariDataSource::close);
        if (connection != null) {
            database.dropTables(connection.grantRefreshTokenTable(), connection.grantTable());
        }
    }

    @BeforeEach
    void emptyTables() throws Exception {
        database.deleteAllRows(connection.grantRefreshTokenTable());
        database.deleteAllRows(connection.grantTable());
    }

    @Test
    void createSchemaWhenRunAgainThenKeepsRows() {
        store.create(active("t1", "a").build());

        store.createSchema();

        assertThat(store.findById("t1", "gid-a")).isPresent();
    }

    @Test
    void createThenFindByIdAndByRefreshTokenHashReturnAnEqualGrant() {
        Grant grant = active("t1", "a")
                .scopes(Set.of("openid", "offline_access", "", "odd scope%20=x"))
                .claims("{\"acr\":\"mfa\",\"n\":1}")
                .authTime(T0.minusSeconds(30))
                .deviceMetadata(Map.of("model", "TV = 55\" 100%", "k y", "", "ctl", "a\tb\u0000c", "ü", "名前"))
                .lastUsedAt(T0.plusSeconds(5))
                .dpopJkt("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")
                .version(3)
                .build();

        store.create(grant);

        assertThat(store.findById("t1", "gid-a")).contains(grant);
        assertThat(store.findByRefreshTokenHash("t1", "rth-a-0")).contains(new RefreshTokenMatch(grant, true));
    }

    @Test
    void createWhenNoRefreshTokenAndRevokedThenStoredAsIs() {
        Grant grant = active("t1", "a").refreshTokenHash(null).revoked(T0.plusSeconds(1)).build();

        store.create(grant);

        assertThat(store.findById("t1", "gid-a")).contains(grant);
    }

    @Test
    void createWhenInstantsHaveMicrosThenReadBackTruncatedToMillis() {
        store.create(active("t1", "a").createdAt(T0.plusNanos(1_234_567)).lastUsedAt(T0.plusNanos(1_999_999)).build());

        Grant read = store.findById("t1", "gid-a").orElseThrow();

        assertThat(read.createdAt()).isEqualTo(T0.plusMillis(1));
        assertThat(read.lastUsedAt()).isEqualTo(T0.plusMillis(1));
    }

    @Test
    void findWhenOtherTenantOrCaseDiffersThenEmpty() {
        store.create(active("t1", "a").build());

        assertThat(store.findById("t2", "gid-a")).isEmpty();
        assertThat(store.findByRefreshTokenHash("t2", "rth-a-0")).isEmpty();
        assertThat(store.findByRefreshTokenHash("t1", "RTH-A-0")).isEmpty();
    }

    @Test
    void createWhenSameIdAndHashInAnotherTenantThenBothStored() {
        store.create(active("t1", "a").build());
        store.create(active("t2", "a").subject("bob").build());

        assertThat(store.findByRefreshTokenHash("t1", "rth-a-0").orElseThrow().grant().subject()).isEqualTo("alice");
        assertThat(store.findByRefreshTokenHash("t2", "rth-a-0").orElseThrow().grant().subject()).isEqualTo("bob");
    }

    @Test
    void createWhenIdExistsThenIllegalArgumentAndNothingWritten() {
        Grant first = active("t1", "a").build();
        store.create(first);

        assertThatThrownBy(() -> store.create(active("t1", "b").id("gid-a").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("gid-a");

        assertThat(store.findById("t1", "gid-a")).contains(first);
        assertThat(store.findByRefreshTokenHash("t1", "rth-b-0")).isEmpty();
    }

    @Test
    void createWhenRefreshTokenHashHeldByAnotherGrantThenIllegalArgumentAndNothingWritten() {
        store.create(active("t1", "a").build());

        assertThatThrownBy(() -> store.create(active("t1", "b").refreshTokenHash("rth-a-0").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("rth-a-0");

        assertThat(store.findById("t1", "gid-b")).isEmpty();
        assertThat(store.findByRefreshTokenHash("t1", "rth-a-0").orElseThrow().grant().id()).isEqualTo("gid-a");
    }

    @Test
    void createWhenValueLongerThanItsColumnThenIllegalArgumentNamingTheField() {
        assertThatThrownBy(() -> store.create(active("t1", "a").subject("s".repeat(1025)).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject").hasMessageContaining("1024");
        assertThatThrownBy(() -> store.create(active("t1", "a").refreshTokenHash("h".repeat(129)).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshTokenHash");
    }

    @Test
    void createWhenSubjectHasTheLongestAllowedLengthInThreeByteCharactersThenStoredAndListed() {
        StringBuilder subject = new StringBuilder();
        for (int i = 0; subject.length() < Columns.MAX_SUBJECT_LENGTH; i++) {
            // three UTF-8 bytes each (3,072 in all), varied so that nothing compresses
            subject.append((char) (0x4E00 + (i * 7919) % 0x5000));
        }
        Grant grant = active("t1", "a").subject(subject.toString()).build();

        store.create(grant);

        assertThat(store.listActive("t1", subject.toString(), T0)).containsExactly(grant);
    }

    @Test
    void replaceWhenRotatedThenNewHashCurrentAndOldRetiredButStillFindable() {
        Grant created = active("t1", "a").build();
        store.create(created);
        Grant next = rotated(created, "rth-a-1", 60);

        assertThat(store.replace(0, next)).isTrue();

        assertThat(store.findById("t1", "gid-a")).contains(next);
        assertThat(store.findByRefreshTokenHash("t1", "rth-a-1")).contains(new RefreshTokenMatch(next, true));
        assertThat(store.findByRefreshTokenHash("t1", "rth-a-0")).contains(new RefreshTokenMatch(next, false));
    }

    @Test
    void replaceWhenRotatedTwiceThenEveryEarlierHashRetired() {
        Grant created = active("t1", "a").build();
        store.create(created);
        Grant second = rotated(created, "rth-a-1", 60);
        Grant third = rotated(second, "rth-a-2", 60);

        assertThat(store.replace(0, second)).isTrue();
        assertThat(store.replace(1, third)).isTrue();

        assertThat(store.findByRefreshTokenHash("t1", "rth-a-0")).contains(new RefreshTokenMatch(third, false));
        assertThat(store.findByRefreshTokenHash("t1", "rth-a-1")).contains(new RefreshTokenMatch(third, false));
        assertThat(store.findByRefreshTokenHash("t1", "rth-a-2")).contains(new RefreshTokenMatch(third, true));
    }

    @Test
    void replaceWhenHashUnchangedThenItStaysCurrent() {
        Grant created = active("t1", "a").build();
        store.create(created);
        Grant used = created.toBuilder().lastUsedAt(T0.plusSeconds(9)).nextVersion().build();

        assertThat(store.replace(0, used)).isTrue();

        assertThat(store.findByRefreshTokenHash("t1", "rth-a-0")).contains(new RefreshTokenMatch(used, true));
    }

    @Test
    void replaceWhenVersionMovedOnThenFalseAndUnchanged() {
        Grant created = active("t1", "a").build();
        store.create(created);
        Grant winner = rotated(created, "rth-a-1", 60);
        Grant loser = rotated(created, "rth-a-x", 61);

        assertThat(store.replace(0, winner)).isTrue();
        assertThat(store.replace(0, loser)).isFalse();

        assertThat(store.findById("t1", "gid-a")).contains(winner);
        assertThat(store.findByRefreshTokenHash("t1", "rth-a-x")).isEmpty();
    }

    @Test
    void replaceWhenGrantMissingOrInOtherTenantThenFalse() {
        store.create(active("t1", "a").build());

        assertThat(store.replace(0, active("t1", "missing").version(1).build())).isFalse();
        assertThat(store.replace(0, active("t2", "a").version(1).build())).isFalse();
        assertThat(store.findByRefreshTokenHash("t2", "rth-a-0")).isEmpty();
    }

    @Test
    void replaceWhenRevokedThenFinalAndEveryHashStillFindsTheRevokedGrant() {
        Grant created = active("t1", "a").build();
        store.create(created);
        Grant rotatedOnce = rotated(created, "rth-a-1", 60);
        store.replace(0, rotatedOnce);
        Grant revoked = rotatedOnce.toBuilder().revoked(T0.plusSeconds(120)).nextVersion().build();
        Grant reactivated = revoked.toBuilder().status(GrantStatus.ACTIVE).revokedAt(null).nextVersion().build();

        assertThat(store.replace(1, revoked)).isTrue();
        assertThat(store.replace(2, reactivated)).isFalse();

        assertThat(store.findById("t1", "gid-a")).contains(revoked);
        assertThat(store.findByRefreshTokenHash("t1", "rth-a-0")).contains(new RefreshTokenMatch(revoked, false));
        assertThat(store.findByRefreshTokenHash("t1", "rth-a-1")).contains(new RefreshTokenMatch(revoked, true));
    }

    @Test
    void replaceWhenRevokedAndRefreshTokenDroppedThenItsHashRetired() {
        Grant created = active("t1", "a").build();
        store.create(created);
        Grant revoked = created.toBuilder().refreshTokenHash(null).revoked(T0.plusSeconds(5)).nextVersion().build();

        assertThat(store.replace(0, revoked)).isTrue();

        assertThat(store.findByRefreshTokenHash("t1", "rth-a-0")).contains(new RefreshTokenMatch(revoked, false));
    }

    @Test
    void replaceWhenSubjectOrClientChangesThenIllegalArgumentAndUnchanged() {
        Grant created = active("t1", "a").build();
        store.create(created);

        assertThatThrownBy(() -> store.replace(0, created.toBuilder().subject("mallory").nextVersion().build()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.replace(0, created.toBuilder().clientId("other").nextVersion().build()))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.findById("t1", "gid-a")).contains(created);
    }

    @Test
    void replaceWhenNewHashHeldByAnotherGrantThenIllegalArgumentAndNothingWritten() {
        Grant a = active("t1", "a").build();
        store.create(a);
        store.create(active("t1", "b").build());

        assertThatThrownBy(() -> store.replace(0, rotated(a, "rth-b-0", 60)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("rth-b-0");

        assertThat(store.findById("t1", "gid-a")).contains(a);
        assertThat(store.findByRefreshTokenHash("t1", "rth-a-0")).contains(new RefreshTokenMatch(a, true));
        assertThat(store.findByRefreshTokenHash("t1", "rth-b-0").orElseThrow().grant().id()).isEqualTo("gid-b");
    }

    @Test
    void replaceWhenNextVersionIsNotExpectedPlusOneThenIllegalArgument() {
        Grant created = active("t1", "a").build();
        store.create(created);

        assertThatThrownBy(() -> store.replace(0, created.toBuilder().version(2).build()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.replace(0, created)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.findById("t1", "gid-a")).contains(created);
    }

    @Test
    void listActiveWhenManyGrantsThenOnlyActiveUnlapsedOfTheSubjectAndTenantMostRecentlyUsedFirst() {
        store.create(active("t1", "old").lastUsedAt(T0.plusSeconds(1)).build());
        store.create(active("t1", "new").lastUsedAt(T0.plusSeconds(3)).build());
        store.create(active("t1", "mid").lastUsedAt(T0.plusSeconds(2)).build());
        store.create(active("t1", "revoked").lastUsedAt(T0.plusSeconds(4)).revoked(T0.plusSeconds(5)).build());
        store.create(active("t1", "lapsed").lastUsedAt(T0.plusSeconds(4)).expiresAt(T0.plusSeconds(60)).build());
        store.create(active("t1", "bob").subject("bob").build());
        store.create(active("t2", "other-tenant").build());

        List<Grant> listed = store.listActive("t1", "alice", T0.plusSeconds(60));

        assertThat(listed).extracting(Grant::id).containsExactly("gid-new", "gid-mid", "gid-old");
    }

    @Test
    void deleteExpiredWhenMoreThanMaxCountThenDeletesInBoundedBatchesWithTheirHashes() throws Exception {
        Instant before = T0.plusSeconds(100);
        for (int i = 0; i < 3; i++) {
            store.create(active("t" + (i % 2), "lapsed" + i).expiresAt(T0.plusSeconds(60 + i)).build());
        }
        Grant revoked = active("t1", "revoked").build();
        store.create(revoked);
        store.replace(0, rotated(revoked, "rth-revoked-1", 10).toBuilder().revoked(T0.plusSeconds(50)).build());
        store.create(active("t1", "live").build());
        store.create(active("t1", "edge").expiresAt(before).build());
        store.create(active("t1", "revoked-at-edge").revoked(before).build());

        assertThat(store.deleteExpired(before, 2)).isEqualTo(2);
        assertThat(store.deleteExpired(before, 2)).isEqualTo(2);
        assertThat(store.deleteExpired(before, 2)).isZero();

        assertThat(store.findById("t1", "gid-live")).isPresent();
        assertThat(store.findById("t1", "gid-edge")).isPresent();
        assertThat(store.findById("t1", "gid-revoked-at-edge")).isPresent();
        assertThat(store.findById("t1", "gid-revoked")).isEmpty();
        assertThat(store.findByRefreshTokenHash("t1", "rth-revoked-0")).isEmpty();
        assertThat(store.findByRefreshTokenHash("t1", "rth-lapsed1-0")).isEmpty();
        assertThat(rowCount(connection.grantRefreshTokenTable())).as("hashes of purged grants go with them")
                .isEqualTo(3);
    }

    @Test
    void deleteExpiredWhenMaxCountNotPositiveThenIllegalArgument() {
        assertThatThrownBy(() -> store.deleteExpired(T0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void storedRowsHoldNoRawTokenOnlyTheHashesGiven() throws Exception {
        store.create(active("t1", "a").build());
        store.replace(0, rotated(store.findById("t1", "gid-a").orElseThrow(), "rth-a-1", 5));

        assertThat(columnValues(connection.grantRefreshTokenTable(), "token_hash"))
                .containsExactlyInAnyOrder("rth-a-0", "rth-a-1");
        assertThat(columnValues(connection.grantTable(), "refresh_token_hash")).containsExactly("rth-a-1");
    }

    @Test
    @DisplayName("64 threads on two nodes present one refresh token: exactly one rotation wins, 20 times")
    void refreshWhenManyThreadsOnTwoNodesPresentOneRefreshTokenThenExactlyOneNewTokenIsIssued() throws Exception {
        for (int repetition = 0; repetition < 20; repetition++) {
            Grant created = active("t1", "race" + repetition).build();
            store.create(created);
            String presented = created.refreshTokenHash();
            int round = repetition;

            List<String> issued = race(thread -> {
                JdbcGrantStore node = thread % 2 == 0 ? store : otherNode;
                RefreshTokenMatch match = node.findByRefreshTokenHash("t1", presented).orElseThrow();
                if (!match.current()) {
                    return null;
                }
                String newHash = "rth-race" + round + "-thread" + thread;
                return node.replace(match.grant().version(), rotated(match.grant(), newHash, 1)) ? newHash : null;
            });

            assertThat(issued).as("repetition %d", repetition).hasSize(1);
            assertThat(otherNode.findByRefreshTokenHash("t1", issued.get(0)).orElseThrow().current()).isTrue();
            assertThat(otherNode.findByRefreshTokenHash("t1", presented).orElseThrow().current()).isFalse();
            assertThat(otherNode.findById("t1", created.id()).orElseThrow().version()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("63 threads on two nodes rotate one grant while one revokes it: the revocation wins once and is final")
    void replaceWhenRevocationRacesRotationsThenRevocationIsFinal() throws Exception {
        store.create(active("t1", "a").build());

        List<String> outcomes = race(thread -> {
            JdbcGrantStore node = thread % 2 == 0 ? store : otherNode;
            int attempts = thread == 7 ? 10_000 : 5;
            for (int attempt = 0; attempt < attempts; attempt++) {
                Grant now = node.findById("t1", "gid-a").orElseThrow();
                if (thread == 7) {
                    if (node.replace(now.version(), now.toBuilder().revoked(now.lastUsedAt()).nextVersion().build())) {
                        return "revoked";
                    }
                } else {
                    Grant reactivatedAndRotated = rotated(now, "rth-a-t" + thread + "-" + attempt, 1).toBuilder()
                            .status(GrantStatus.ACTIVE).revokedAt(null).build();
                    if (node.replace(now.version(), reactivatedAndRotated)) {
                        return "rotated";
                    }
                }
            }
            return null;
        });

        assertThat(outcomes).containsOnlyOnce("revoked");
        Grant after = store.findById("t1", "gid-a").orElseThrow();
        assertThat(after.status()).isEqualTo(GrantStatus.REVOKED);
        assertThat(after.version()).isEqualTo(outcomes.size());
        assertThat(store.findByRefreshTokenHash("t1", after.refreshTokenHash()).orElseThrow().current()).isTrue();
        assertThat(store.findByRefreshTokenHash("t1", "rth-a-0").orElseThrow().current())
                .isEqualTo(after.refreshTokenHash().equals("rth-a-0"));
    }

    @FunctionalInterface
    private interface Attempt {
        String run(int thread) throws Exception;
    }

    /** Runs {@code attempt} on {@link #THREADS} threads released together; the non-null results. */
    private List<String> race(Attempt attempt) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<String>> futures = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            int id = thread;
            futures.add(threads.submit(() -> {
                start.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return attempt.run(id);
            }));
        }
        List<String> results = new ArrayList<>();
        for (Future<String> future : futures) {
            String result = future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (result != null) {
                results.add(result);
            }
        }
        return results;
    }

    private long rowCount(String table) throws Exception {
        try (Connection c = database.connect(); Statement statement = c.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private List<String> columnValues(String table, String column) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = database.connect(); Statement statement = c.createStatement();
                ResultSet rows = statement.executeQuery("SELECT " + column + " FROM " + table)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
