package org.devicegrant.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.storage.jdbc.Records.LIFETIME;
import static org.devicegrant.storage.jdbc.Records.T0;
import static org.devicegrant.storage.jdbc.Records.pending;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.PendingLimitExceededException;
import org.devicegrant.storage.AuthorizationStatus;
import org.devicegrant.storage.StoreUnavailableException;
import org.devicegrant.storage.UserCodeCollisionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The JDBC store's own behaviour on one database; a subclass per database. Each class gets a
 * fresh table, emptied before every test and dropped after the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractJdbcStoreTest {

    private final TestDatabase database;
    private HikariDataSource pool;
    private String tablePrefix;
    private String table;
    private JdbcDeviceAuthorizationStore store;

    AbstractJdbcStoreTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void createTable() {
        database.assumeAvailable();
        pool = database.pool("store-" + database.name(), 4);
        tablePrefix = TestDatabase.randomTablePrefix();
        store = JdbcDeviceAuthorizationStore.of(JdbcConnection.of(pool).withTablePrefix(tablePrefix));
        table = store.tableName();
        store.createSchema();
    }

    @AfterAll
    void dropTable() {
        if (pool != null) {
            pool.close();
            database.dropTable(table);
        }
    }

    @BeforeEach
    void emptyTable() throws Exception {
        database.deleteAllRows(table);
    }

    @Test
    void dialectWhenNotConfiguredThenDetectedFromMetadata() {
        assertThat(store.dialect()).isEqualTo(database.dialect);
    }

    @Test
    void createSchemaWhenRunAgainThenKeepsRows() throws Exception {
        store.create(pending("t1", "a").build(), T0, Long.MAX_VALUE);

        store.createSchema();

        assertThat(store.findById("t1", "id-a")).isPresent();
    }

    @Test
    void createThenEveryFinderReturnsAnEqualRecord() throws Exception {
        DeviceAuthorization record = pending("t1", "a")
                .requestedScopes(Set.of("openid", "profile", "", "odd scope%20=x"))
                .grantedScopes(Set.of("openid", ""))
                .deviceMetadata(Map.of("model", "TV = 55\" 100%", "k y", "", "ctl", "a\tb\u0000c\u007f", "ü", "名前"))
                .status(AuthorizationStatus.APPROVED)
                .subject("alice")
                .claims("{\"acr\":\"mfa\",\"n\":1}")
                .authTime(T0.plusSeconds(30))
                .lastPolledAt(T0.plusMillis(5_001))
                .interval(Duration.ofMillis(10_000))
                .version(7)
                .build();

        store.create(record, T0, Long.MAX_VALUE);

        assertThat(store.findById("t1", "id-a")).contains(record);
        assertThat(store.findByDeviceCodeHash("t1", "dch-a")).contains(record);
        assertThat(store.findByUserCodeHash("t1", "uch-a")).contains(record);
    }

    @Test
    void createWhenInstantsHaveMicrosThenReadBackTruncatedToMillis() throws Exception {
        DeviceAuthorization record = pending("t1", "a")
                .createdAt(T0.plusNanos(1_234_567))
                .expiresAt(T0.plus(LIFETIME).plusNanos(999_999))
                .build();

        store.create(record, T0, Long.MAX_VALUE);

        DeviceAuthorization read = store.findById("t1", "id-a").orElseThrow();
        assertThat(read.createdAt()).isEqualTo(T0.plusMillis(1));
        assertThat(read.expiresAt()).isEqualTo(T0.plus(LIFETIME));
    }

    @Test
    void findWhenOtherTenantThenEmpty() throws Exception {
        store.create(pending("t1", "a").build(), T0, Long.MAX_VALUE);

        assertThat(store.findById("t2", "id-a")).isEmpty();
        assertThat(store.findByDeviceCodeHash("t2", "dch-a")).isEmpty();
        assertThat(store.findByUserCodeHash("t2", "uch-a")).isEmpty();
    }

    @Test
    void findWhenHashDiffersOnlyInCaseThenEmpty() throws Exception {
        store.create(pending("t1", "a").build(), T0, Long.MAX_VALUE);

        assertThat(store.findByDeviceCodeHash("t1", "DCH-A")).isEmpty();
        assertThat(store.findByUserCodeHash("t1", "UCH-A")).isEmpty();
    }

    @Test
    void createWhenSameHashesInAnotherTenantThenBothStored() throws Exception {
        store.create(pending("t1", "a").build(), T0, Long.MAX_VALUE);
        store.create(pending("t2", "a").id("id-a2").build(), T0, Long.MAX_VALUE);

        assertThat(store.findByUserCodeHash("t2", "uch-a")).map(DeviceAuthorization::id).contains("id-a2");
        assertThat(store.findByUserCodeHash("t1", "uch-a")).map(DeviceAuthorization::id).contains("id-a");
    }

    @Test
    @DisplayName("security row 12: an unexpired holder of the user code makes create fail and write nothing")
    void createWhenUnexpiredHolderOfUserCodeThenCollisionAndNothingWritten() throws Exception {
        store.create(pending("t1", "a").build(), T0, Long.MAX_VALUE);
        DeviceAuthorization second = pending("t1", "b").userCodeHash("uch-a").build();

        Instant oneMsBeforeExpiry = T0.plus(LIFETIME).minusMillis(1);
        assertThatThrownBy(() -> store.create(second, oneMsBeforeExpiry, Long.MAX_VALUE))
                .isInstanceOf(UserCodeCollisionException.class);

        assertThat(store.findById("t1", "id-b")).isEmpty();
        assertThat(store.findByUserCodeHash("t1", "uch-a")).map(DeviceAuthorization::id).contains("id-a");
    }

    @Test
    void createWhenHolderOfUserCodeIsDeniedButUnexpiredThenCollision() throws Exception {
        store.create(pending("t1", "a").status(AuthorizationStatus.DENIED).build(), T0, Long.MAX_VALUE);

        assertThatThrownBy(() -> store.create(pending("t1", "b").userCodeHash("uch-a").build(), T0.plusSeconds(1), Long.MAX_VALUE))
                .isInstanceOf(UserCodeCollisionException.class);
    }

    @Test
    void createWhenHolderExpiresAtNowThenTakesOverAndOldStaysFindableByDeviceCode() throws Exception {
        DeviceAuthorization old = pending("t1", "a").build();
        store.create(old, T0, Long.MAX_VALUE);
        Instant atExpiry = old.expiresAt();
        DeviceAuthorization taker = pending("t1", "b").userCodeHash("uch-a")
                .createdAt(atExpiry).expiresAt(atExpiry.plus(LIFETIME)).build();

        store.create(taker, atExpiry, Long.MAX_VALUE);

        assertThat(store.findByUserCodeHash("t1", "uch-a")).contains(taker);
        assertThat(store.findByDeviceCodeHash("t1", "dch-a")).contains(old);
        assertThat(store.findById("t1", "id-a")).contains(old);
    }

    @Test
    void findByUserCodeHashWhenHolderExpiredAndNotTakenOverThenFound() throws Exception {
        DeviceAuthorization old = pending("t1", "a").build();
        store.create(old, T0, Long.MAX_VALUE);
        store.create(pending("t1", "other").build(), old.expiresAt().plusSeconds(60), Long.MAX_VALUE);

        assertThat(store.findByUserCodeHash("t1", "uch-a")).contains(old);
    }

    @Test
    void createWhenIdExistsThenIllegalArgumentAndNothingOverwritten() throws Exception {
        DeviceAuthorization first = pending("t1", "a").build();
        store.create(first, T0, Long.MAX_VALUE);

        assertThatThrownBy(() -> store.create(pending("t1", "b").id("id-a").build(), T0, Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("id-a");

        assertThat(store.findById("t1", "id-a")).contains(first);
        assertThat(store.findByUserCodeHash("t1", "uch-b")).isEmpty();
    }

    @Test
    void createWhenSameIdInAnotherTenantThenBothStored() throws Exception {
        DeviceAuthorization first = pending("t1", "a").build();
        DeviceAuthorization second = pending("t2", "b").id("id-a").build();

        store.create(first, T0, Long.MAX_VALUE);
        store.create(second, T0, Long.MAX_VALUE);

        assertThat(store.findById("t1", "id-a")).contains(first);
        assertThat(store.findById("t2", "id-a")).contains(second);
    }

    @Test
    void createWhenDeviceCodeHashExistsThenIllegalArgument() throws Exception {
        store.create(pending("t1", "a").build(), T0, Long.MAX_VALUE);

        assertThatThrownBy(() -> store.create(pending("t1", "b").deviceCodeHash("dch-a").build(), T0, Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("dch-a");
    }

    @Test
    void createWhenDuplicateIdAndExpiredHolderThenHolderKeepsItsUserCode() throws Exception {
        DeviceAuthorization old = pending("t1", "a").build();
        store.create(old, T0, Long.MAX_VALUE);
        DeviceAuthorization duplicate = pending("t1", "b").id("id-a").userCodeHash("uch-a").build();

        assertThatThrownBy(() -> store.create(duplicate, old.expiresAt().plusSeconds(1), Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.findByUserCodeHash("t1", "uch-a")).contains(old);
    }

    @Test
    void createWhenValueLongerThanItsColumnThenIllegalArgumentNamingTheField() {
        DeviceAuthorization longTenant = pending("t".repeat(129), "a").build();

        assertThatThrownBy(() -> store.create(longTenant, T0, Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant")
                .hasMessageContaining("128");
    }

    @Test
    void replaceWhenVersionMatchesThenStoredAndLaterReplaceWithSameVersionLoses() throws Exception {
        DeviceAuthorization created = pending("t1", "a").build();
        store.create(created, T0, Long.MAX_VALUE);
        DeviceAuthorization approved = created.toBuilder().status(AuthorizationStatus.APPROVED).subject("alice")
                .grantedScopes(Set.of("openid")).claims("{}").authTime(T0.plusSeconds(3)).nextVersion().build();
        DeviceAuthorization denied = created.toBuilder().status(AuthorizationStatus.DENIED).nextVersion().build();

        assertThat(store.replace(0, approved)).isTrue();
        assertThat(store.replace(0, denied)).isFalse();

        assertThat(store.findById("t1", "id-a")).contains(approved);
    }

    @Test
    void replaceWhenSlowDownThenIntervalAndLastPolledAtPersist() throws Exception {
        DeviceAuthorization created = pending("t1", "a").build();
        store.create(created, T0, Long.MAX_VALUE);
        // RFC 8628 §3.5: slow_down, "the interval MUST be increased by 5 seconds for this and all subsequent requests"
        DeviceAuthorization slowed = created.toBuilder().interval(created.interval().plusSeconds(5))
                .lastPolledAt(T0.plusSeconds(2)).nextVersion().build();

        assertThat(store.replace(0, slowed)).isTrue();

        assertThat(store.findByDeviceCodeHash("t1", "dch-a").orElseThrow().interval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void replaceWhenRecordMissingOrOtherTenantThenFalse() throws Exception {
        DeviceAuthorization created = pending("t1", "a").build();
        store.create(created, T0, Long.MAX_VALUE);
        DeviceAuthorization inOtherTenant = pending("t2", "a").status(AuthorizationStatus.DENIED).version(1).build();

        assertThat(store.replace(0, pending("t1", "missing").version(1).build())).isFalse();
        assertThat(store.replace(0, inOtherTenant)).isFalse();
        assertThat(store.findById("t1", "id-a")).contains(created);
    }

    @Test
    void replaceWhenIdentityChangesThenFalseAndUnchanged() throws Exception {
        DeviceAuthorization created = pending("t1", "a").build();
        store.create(created, T0, Long.MAX_VALUE);

        assertThat(store.replace(0, created.toBuilder().userCodeHash("uch-z").nextVersion().build())).isFalse();
        assertThat(store.replace(0, created.toBuilder().clientId("other").nextVersion().build())).isFalse();
        assertThat(store.replace(0, created.toBuilder().expiresAt(T0.plus(LIFETIME).plusSeconds(1)).nextVersion().build()))
                .isFalse();
        assertThat(store.findById("t1", "id-a")).contains(created);
    }

    @Test
    void replaceWhenNextVersionNotGreaterThenIllegalArgument() throws Exception {
        DeviceAuthorization created = pending("t1", "a").build();
        store.create(created, T0, Long.MAX_VALUE);

        assertThatThrownBy(() -> store.replace(0, created)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.findById("t1", "id-a")).contains(created);
    }

    @Test
    void deleteExpiredWhenMoreThanMaxCountThenDeletesInBoundedBatchesOnlyExpiredOnes() throws Exception {
        for (int i = 0; i < 5; i++) {
            store.create(pending("t" + (i % 2), "old" + i).expiresAt(T0.plusSeconds(60 + i)).build(), T0, Long.MAX_VALUE);
        }
        store.create(pending("t1", "live").build(), T0, Long.MAX_VALUE);
        store.create(pending("t1", "edge").expiresAt(T0.plusSeconds(100)).build(), T0, Long.MAX_VALUE);
        Instant before = T0.plusSeconds(100);

        assertThat(store.deleteExpired(before, 2)).isEqualTo(2);
        assertThat(store.deleteExpired(before, 2)).isEqualTo(2);
        assertThat(store.deleteExpired(before, 2)).isEqualTo(1);
        assertThat(store.deleteExpired(before, 2)).isZero();

        assertThat(store.findById("t1", "id-live")).isPresent();
        assertThat(store.findById("t1", "id-edge")).isPresent();
        assertThat(store.findById("t0", "id-old0")).isEmpty();
    }

    @Test
    void deleteExpiredWhenHolderDeletedThenUserCodeFreeAgain() throws Exception {
        store.create(pending("t1", "a").build(), T0, Long.MAX_VALUE);
        Instant later = T0.plus(LIFETIME).plusSeconds(1);
        store.deleteExpired(later, 10);

        store.create(pending("t1", "b").userCodeHash("uch-a").createdAt(later).expiresAt(later.plus(LIFETIME)).build(),
                later, Long.MAX_VALUE);

        assertThat(store.findByUserCodeHash("t1", "uch-a")).map(DeviceAuthorization::id).contains("id-b");
    }

    @Test
    void deleteExpiredWhenMaxCountNotPositiveThenIllegalArgument() {
        assertThatThrownBy(() -> store.deleteExpired(T0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countPendingCountsOnlyPendingUnexpiredRecordsOfTheTenantAndClient() throws Exception {
        store.create(pending("t1", "a").build(), T0, Long.MAX_VALUE);
        store.create(pending("t1", "b").clientId("cli").build(), T0, Long.MAX_VALUE);
        store.create(pending("t1", "c").expiresAt(T0.plusSeconds(30)).build(), T0, Long.MAX_VALUE);
        store.create(pending("t1", "d").status(AuthorizationStatus.DENIED).build(), T0, Long.MAX_VALUE);
        store.create(pending("t2", "e").build(), T0, Long.MAX_VALUE);
        Instant now = T0.plusSeconds(30);

        assertThat(store.countPending("t1", now)).isEqualTo(2);
        assertThat(store.countPending("t1", "tv-app", now)).isEqualTo(1);
        assertThat(store.countPending("t1", "cli", now)).isEqualTo(1);
        assertThat(store.countPending("t3", now)).isZero();
    }

    @Test
    void createWhenCappedAndTakingOverExpiredHolderThenStored() throws Exception {
        store.create(pending("t1", "a").build(), T0, 1);
        Instant later = T0.plus(LIFETIME);

        store.create(pending("t1", "b").userCodeHash("uch-a").createdAt(later).expiresAt(later.plus(LIFETIME)).build(),
                later, 1);

        assertThat(store.findByUserCodeHash("t1", "uch-a")).map(DeviceAuthorization::id).contains("id-b");
        assertThatThrownBy(() -> store.create(pending("t1", "c").userCodeHash("uch-b").createdAt(later)
                .expiresAt(later.plus(LIFETIME)).build(), later, 1)).isInstanceOf(PendingLimitExceededException.class);
    }

    @Test
    @DisplayName("security row 24: a failing statement is a StoreUnavailableException naming no value")
    void findWhenTableMissingThenStoreUnavailableWithoutValues() {
        JdbcDeviceAuthorizationStore broken = JdbcDeviceAuthorizationStore.of(
                JdbcConnection.of(pool).withDialect(database.dialect).withTablePrefix(tablePrefix + "_missing"));

        assertThatThrownBy(() -> broken.findByUserCodeHash("tenant-x", "secret-hash-value"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("find by user-code hash")
                .hasMessageNotContaining("secret-hash-value")
                .hasMessageNotContaining("tenant-x");
    }

    @Test
    @DisplayName("security row 14: the table holds the hashes it was given and no other form of them")
    void persistedRowsHoldOnlyTheGivenHashes() throws Exception {
        store.create(pending("t1", "a").userCodeHash("HMAC-of-user-code").deviceCodeHash("SHA256-of-device-code")
                .build(), T0, Long.MAX_VALUE);

        List<String> cells = new ArrayList<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
            while (rows.next()) {
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    cells.add(String.valueOf(rows.getString(i)));
                }
            }
        }
        assertThat(cells).hasSize(Statements.COLUMN_COUNT)
                .contains("HMAC-of-user-code", "SHA256-of-device-code")
                .noneMatch(cell -> cell.contains("user-code") && !cell.equals("HMAC-of-user-code"));
    }
}
