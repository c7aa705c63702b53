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

/** Builder, key storage and housekeeping on H2; the semantics are in {@code *AttemptLimiterTest}. */
class JdbcAttemptLimiterTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private final String prefix = TestDatabase.randomTablePrefix();

    private static JdbcDataSource h2() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(TestDatabase.H2.jdbcUrl(0));
        dataSource.setUser("sa");
        return dataSource;
    }

    @AfterEach
    void dropTables() {
        TestDatabase.H2.dropLimiterTables(prefix);
    }

    @Test
    void buildWhenOnlyConnectionThenDefaultsAndNoConnectionOpened() {
        JdbcAttemptLimiter limiter = JdbcAttemptLimiter.builder().connection(JdbcConnection.of(new JdbcDataSource()))
                .build();

        assertThat(limiter.policy()).isEqualTo(AttemptPolicy.defaults());
        assertThat(limiter.tablePrefix()).isEqualTo("devicegrant_attempt");
    }

    @Test
    void buildWhenTablePrefixSetThenTheLimitersTablesStartWithIt() {
        JdbcAttemptLimiter limiter = JdbcAttemptLimiter.builder()
                .connection(JdbcConnection.of(new JdbcDataSource()).withTablePrefix("dg")).build();

        assertThat(limiter.tablePrefix()).isEqualTo("dg_attempt");
    }

    @Test
    void buildWhenNoConnectionThenRejectedNamingIt() {
        assertThatThrownBy(() -> JdbcAttemptLimiter.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("connection");
    }

    @Test
    void builderWhenSettingSetTwiceThenRejected() {
        JdbcConnection connection = JdbcConnection.of(h2()).withDialect(Dialect.H2);
        JdbcAttemptLimiter.Builder builder = JdbcAttemptLimiter.builder().connection(connection)
                .policy(AttemptPolicy.defaults());

        assertThatThrownBy(() -> builder.connection(connection)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connection");
        assertThatThrownBy(() -> builder.policy(AttemptPolicy.defaults())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("policy");
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
        JdbcAttemptLimiter limiter = JdbcAttemptLimiter.builder()
                .connection(JdbcConnection.of(h2()).withTablePrefix(prefix)).policy(policy).build();
        limiter.createSchema();
        return limiter;
    }

    private long rows(String suffix) throws Exception {
        try (Connection connection = TestDatabase.H2.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + prefix + "_attempt" + suffix)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
