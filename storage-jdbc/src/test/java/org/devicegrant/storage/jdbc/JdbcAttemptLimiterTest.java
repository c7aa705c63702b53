package org.devicegrant.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.devicegrant.storage.AttemptPolicy;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Builder, key storage and housekeeping on H2; the semantics are in {@code *AttemptLimiterTest}. */
class JdbcAttemptLimiterTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private final String prefix = TestDatabase.randomTableName();

    private static JdbcDataSource h2() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(TestDatabase.H2.jdbcUrl(0));
        dataSource.setUser("sa");
        return dataSource;
    }

    @AfterEach
    void dropTables() {
        TestDatabase.H2.dropTables(prefix + "_failure", prefix + "_key", prefix + "_tenant");
    }

    @Test
    void buildWhenOnlyDataSourceThenDefaultsAndNoConnectionOpened() {
        JdbcAttemptLimiter limiter = JdbcAttemptLimiter.builder().dataSource(new JdbcDataSource()).build();

        assertThat(limiter.policy()).isEqualTo(AttemptPolicy.defaults());
        assertThat(limiter.tablePrefix()).isEqualTo("devicegrant_attempt");
    }

    @Test
    void buildWhenNoDataSourceThenRejectedNamingIt() {
        assertThatThrownBy(() -> JdbcAttemptLimiter.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("dataSource");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "9x", "a-b", "a.b", "x;drop table y", "a_prefix_that_is_longer_than_forty_chars_x"})
    void buildWhenTablePrefixNotPlainIdentifierThenRejectedNamingSettingAndRange(String tablePrefix) {
        JdbcAttemptLimiter.Builder builder = JdbcAttemptLimiter.builder().dataSource(h2()).tablePrefix(tablePrefix);

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tablePrefix").hasMessageContaining("1 to 40");
    }

    @Test
    void builderWhenSettingSetTwiceThenRejected() {
        JdbcAttemptLimiter.Builder builder = JdbcAttemptLimiter.builder().dataSource(h2()).tablePrefix("p")
                .policy(AttemptPolicy.defaults()).dialect(Dialect.H2);

        assertThatThrownBy(() -> builder.dataSource(h2())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.tablePrefix("q")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.policy(AttemptPolicy.defaults())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.dialect(Dialect.H2)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void storedKeyWhenLongerThanColumnThenSha256OfItElseItself() {
        String longKey = "ip:203.0.113.7|sub:" + "x".repeat(300);

        assertThat(JdbcAttemptLimiter.storedKey("ip:203.0.113.7")).isEqualTo("ip:203.0.113.7");
        assertThat(JdbcAttemptLimiter.storedKey(longKey)).startsWith("sha256:").hasSize(7 + 43)
                .isEqualTo(JdbcAttemptLimiter.storedKey(longKey))
                .isNotEqualTo(JdbcAttemptLimiter.storedKey(longKey + "y"));
    }

    @Test
    void tryAcquireWhenKeyLongerThanColumnThenBudgetStillApplies() {
        JdbcAttemptLimiter limiter = schema(AttemptPolicy.defaults());
        String longKey = "k".repeat(1_000);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire("t1", longKey, T0).allowed()).isTrue();
        }

        assertThat(limiter.tryAcquire("t1", longKey, T0).allowed()).isFalse();
    }

    @Test
    void deleteStaleWhenAllWindowsPassedThenRowsGoAndBudgetsAreFresh() throws Exception {
        JdbcAttemptLimiter limiter = schema(AttemptPolicy.defaults());
        for (int i = 0; i < 6; i++) {
            limiter.tryAcquire("t1", "ip:1", T0);
        }
        limiter.tryAcquire("t1", "ip:2", T0.plus(Duration.ofMinutes(5)));
        assertThat(rows("_failure")).isEqualTo(2);
        assertThat(rows("_key")).isEqualTo(2);

        Instant later = T0.plus(Duration.ofMinutes(12));
        assertThat(limiter.deleteStale(later)).isEqualTo(2);

        assertThat(rows("_failure")).isEqualTo(1);
        assertThat(rows("_key")).isEqualTo(1);
        assertThat(limiter.tryAcquire("t1", "ip:1", later).allowed()).isTrue();
    }

    @Test
    void recordSuccessWhenNothingChargedThenNoEffect() {
        JdbcAttemptLimiter limiter = schema(AttemptPolicy.defaults());

        limiter.recordSuccess("t1", "ip:1", T0);

        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire("t1", "ip:1", T0).allowed()).isTrue();
        }
        assertThat(limiter.tryAcquire("t1", "ip:1", T0).allowed()).isFalse();
    }

    @Test
    void schemaStatementsUseThePrefixEverywhere() {
        assertThat(JdbcAttemptLimiter.schemaStatements(Dialect.MARIADB, "custom_attempt"))
                .hasSize(3).allMatch(sql -> sql.contains("custom_attempt_"))
                .noneMatch(sql -> sql.contains("devicegrant_attempt"));
    }

    private JdbcAttemptLimiter schema(AttemptPolicy policy) {
        JdbcAttemptLimiter limiter = JdbcAttemptLimiter.builder().dataSource(h2()).tablePrefix(prefix).policy(policy)
                .build();
        limiter.createSchema();
        return limiter;
    }

    private long rows(String suffix) throws Exception {
        try (Connection connection = TestDatabase.H2.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + prefix + suffix)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
