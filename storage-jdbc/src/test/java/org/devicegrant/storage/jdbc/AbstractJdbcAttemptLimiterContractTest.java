package org.devicegrant.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.AttemptPolicy;
import org.devicegrant.storage.tck.AttemptLimiterContract;
import org.devicegrant.storage.tck.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The attempt-limiter TCK on one database, plus the two-node global budget. Every limiter
 * the TCK asks for gets its own fresh tables, dropped after the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractJdbcAttemptLimiterContractTest extends AttemptLimiterContract {

    private final TestDatabase database;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final Map<AttemptLimiter, String> tablePrefixes = new IdentityHashMap<>();

    AbstractJdbcAttemptLimiterContractTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void openPools() {
        database.assumeAvailable();
        // one tenant's decisions are serialised: 64 racers queue for the pool, so wait long
        pools.add(database.pool("limiter-a-" + database.name(), 12, database.port, 30_000));
        pools.add(database.pool("limiter-b-" + database.name(), 12, database.port, 30_000));
    }

    @AfterAll
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    @Override
    protected AttemptLimiter createLimiter(AttemptPolicy policy, MutableClock clock) {
        String tablePrefix = TestDatabase.randomTablePrefix();
        JdbcAttemptLimiter limiter = JdbcAttemptLimiter.builder()
                .connection(JdbcConnection.of(pools.get(0)).withTablePrefix(tablePrefix)).policy(policy).build();
        limiter.createSchema();
        tablePrefixes.put(limiter, tablePrefix);
        return limiter;
    }

    @Override
    protected void closeLimiter(AttemptLimiter limiter) {
        database.dropLimiterTables(tablePrefixes.remove(limiter));
    }

    @Test
    @DisplayName("security row 10: two nodes, 1,000 sources each under its own limit; exactly F = 100 evaluated per window")
    void tryAcquireWhenTwoNodesAndManySourcesRaceThenGlobalBudgetIsExactClusterWide() throws Exception {
        AttemptPolicy policy = new AttemptPolicy(5, Duration.ofSeconds(60), 20, Duration.ofMinutes(10),
                Duration.ofSeconds(60), Duration.ofMinutes(15), 100, Duration.ofSeconds(60));
        JdbcAttemptLimiter nodeA = (JdbcAttemptLimiter) limiter(policy);
        JdbcAttemptLimiter nodeB = JdbcAttemptLimiter.builder()
                .connection(JdbcConnection.of(pools.get(1)).withTablePrefix(tablePrefixes.get(nodeA))).policy(policy)
                .build();
        List<JdbcAttemptLimiter> nodes = List.of(nodeA, nodeB);

        for (int round = 0; round < 3; round++) {
            int r = round;
            List<Integer> allowed = race(THREADS, thread -> {
                int count = 0;
                for (int i = 0; i < 16; i++) {
                    String source = "ip:10." + r + "." + thread + "." + i;
                    if (nodes.get((thread + i) % 2).tryAcquire(TENANT, source, now()).allowed()) {
                        count++;
                    }
                }
                return count;
            });

            assertThat(allowed.stream().mapToInt(Integer::intValue).sum()).as("round %d", round).isEqualTo(100);
            clock.advance(policy.globalWindow());
        }
    }

    @Test
    @DisplayName("a namespace per source address, as core's client-secret budgets use, leaves no row behind for good")
    void deleteStaleWhenTenantsFallQuietThenTheirRowsGoTooButNotThoseStillCounting() throws Exception {
        JdbcAttemptLimiter limiter = (JdbcAttemptLimiter) limiter(AttemptPolicy.defaults());
        for (int i = 0; i < 20; i++) {
            limiter.tryAcquire("client-secret:source-" + i, KEY, now());
        }
        limiter.tryAcquire("client-secret:refunded", KEY, now());
        limiter.recordSuccess("client-secret:refunded", KEY, now());
        clock.advance(Duration.ofMinutes(10));
        limiter.tryAcquire(TENANT, KEY, now());
        assertThat(rows(limiter, "_tenant")).isEqualTo(22);

        limiter.deleteStale(now());

        assertThat(rows(limiter, "_tenant")).as("only the tenant with a failure still counting").isEqualTo(1);
        assertThat(limiter.tryAcquire("client-secret:source-0", KEY, now()).allowed()).isTrue();
        assertThat(rows(limiter, "_tenant")).isEqualTo(2);
    }

    private long rows(JdbcAttemptLimiter limiter, String table) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + limiter.tablePrefix() + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
