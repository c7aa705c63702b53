package org.devicegrant.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.devicegrant.DeviceGrant;
import org.devicegrant.code.CodeHasher;
import org.devicegrant.storage.jdbc.JdbcAttemptLimiter;
import org.devicegrant.storage.jdbc.JdbcConnection;
import org.devicegrant.storage.jdbc.JdbcDeviceAuthorizationStore;
import org.devicegrant.storage.tck.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * Runs the JDBC setup README.md shows (on embedded H2, through HikariCP) and checks that README.md
 * still shows exactly this code.
 */
class JdbcStoreSetupTest {

    private static final Path SOURCE = Path.of("src/test/java/org/devicegrant/integration/JdbcStoreSetupTest.java");

    @Test
    void readmeJdbcSetupWhenRunThenFlowWorksAndHousekeepingPurgesExpiredCodes() throws Exception {
        HikariConfig hikariConfig = new HikariConfig();
        hikariConfig.setJdbcUrl("jdbc:h2:mem:" + Backend.randomName("readme_") + ";DB_CLOSE_DELAY=-1");
        hikariConfig.setUsername("sa");
        MutableClock clock = new MutableClock(Cluster.START);
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor();
        try {
            // readme:jdbc:start
            DataSource pool = new HikariDataSource(hikariConfig);   // any pooled DataSource
            var jdbc = JdbcConnection.of(pool);   // dialect detected on first use; tables devicegrant_*
            var store = JdbcDeviceAuthorizationStore.of(jdbc);
            var limiter = JdbcAttemptLimiter.builder().connection(jdbc).build();
            store.createSchema(); limiter.createSchema();   // or adopt schema-<dialect>.sql, attempt-schema-<dialect>.sql
            // readme:jdbc:end
            DeviceGrant grant = Cluster.engine(store, limiter, Cluster.clients(), clock);
            // readme:jdbc-housekeeping:start
            Runnable purge = () -> { grant.purgeExpired(Duration.ofMinutes(10), 1_000); limiter.deleteStale(clock.instant()); };
            housekeeping.scheduleAtFixedRate(purge, 1, 1, TimeUnit.MINUTES);   // on one node; correctness never needs it
            // readme:jdbc-housekeeping:end

            Cluster.Issued issued = Cluster.authorize(grant);
            Cluster.approve(grant, issued);
            clock.advance(Duration.ofSeconds(5));
            assertThat(Cluster.outcome(Cluster.poll(grant, issued))).isEqualTo("tokens");
            String deviceCodeHash = new CodeHasher(Cluster.USER_CODE_KEY).deviceCodeHash(issued.deviceCode());

            clock.advance(Duration.ofMinutes(10));
            purge.run();
            assertThat(store.findByDeviceCodeHash(Cluster.TENANT, deviceCodeHash)).as("expired 5 s ago: kept").isPresent();
            clock.advance(Duration.ofMinutes(10));
            purge.run();
            assertThat(store.findByDeviceCodeHash(Cluster.TENANT, deviceCodeHash)).as("expired 10 min ago: purged")
                    .isEmpty();
            ((HikariDataSource) pool).close();
        } finally {
            housekeeping.shutdownNow();
        }
    }

    @Test
    void schemaFilesWhenReadmeNamesThemThenShippedForEveryDialect() {
        for (String dialect : List.of("postgresql", "mariadb", "h2")) {
            for (String file : List.of("schema-", "attempt-schema-", "grant-schema-")) {
                assertThat(JdbcDeviceAuthorizationStore.class.getResource(file + dialect + ".sql"))
                        .as("org/devicegrant/storage/jdbc/%s%s.sql", file, dialect).isNotNull();
            }
        }
    }

    @Test
    void readmeWhenShowingJdbcSetupThenShowsExactlyTheCodeThisTestRuns() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(snippet("readme:jdbc")).hasLineCount(5);
        assertThat(snippet("readme:jdbc-housekeeping")).hasLineCount(2);
        assertThat(readme).contains(snippet("readme:jdbc")).contains(snippet("readme:jdbc-housekeeping"));
    }

    private static String snippet(String marker) throws IOException {
        String source = Files.readString(SOURCE);
        String start = "// " + marker + ":start\n";
        String body = source.substring(source.indexOf(start) + start.length(), source.indexOf("// " + marker + ":end"));
        return body.lines().map(line -> line.length() >= 12 ? line.substring(12) : line.strip())
                .filter(line -> !line.isEmpty()).collect(Collectors.joining("\n"));
    }
}
