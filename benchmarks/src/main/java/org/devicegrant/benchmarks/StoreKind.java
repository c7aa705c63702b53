package org.devicegrant.benchmarks;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.jdbc.Dialect;
import org.devicegrant.storage.jdbc.JdbcConnection;
import org.devicegrant.storage.jdbc.JdbcDeviceAuthorizationStore;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.devicegrant.storage.redis.RedisConnection;
import org.devicegrant.storage.redis.RedisDeviceAuthorizationStore;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * The stores our benchmarks run against. The in-memory store is always there; a store backed by
 * a server is only benchmarked when {@link #unavailableReason()} is empty.
 */
enum StoreKind {
    MEMORY,
    /** Redis on {@code 127.0.0.1:6379} (or {@code -Ddevicegrant.redis.host/port}), under a key prefix of its own. */
    REDIS,
    /** The JDBC store on an embedded in-memory H2 database of its own, through a HikariCP pool of 4. */
    H2,
    /**
     * The JDBC store on PostgreSQL at {@code -Ddevicegrant.postgresql.url} (default database
     * {@code test} on {@code 127.0.0.1:5432}, user {@code postgres} or {@code root} without
     * password), in a table of its own that is dropped afterwards; HikariCP pool of 4.
     */
    POSTGRESQL;

    static final String REDIS_HOST = System.getProperty("devicegrant.redis.host", "127.0.0.1");
    static final int REDIS_PORT = Integer.getInteger("devicegrant.redis.port", 6379);
    static final String POSTGRESQL_URL = System.getProperty("devicegrant.postgresql.url",
            "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=3&socketTimeout=30");
    private static final String[] POSTGRESQL_USERS = {"postgres", "root"};

    /**
     * A store ready for one benchmark trial, what to run once it is filled (a database refreshes
     * its planner statistics, as autovacuum would in service), and what to do when the trial ends.
     */
    record Opened(DeviceAuthorizationStore store, Runnable afterFill, AutoCloseable cleanup) implements AutoCloseable {
        Opened(DeviceAuthorizationStore store, AutoCloseable cleanup) {
            this(store, () -> { }, cleanup);
        }

        @Override
        public void close() throws Exception {
            cleanup.close();
        }
    }

    /** Why this store cannot be benchmarked here, or empty when it can. */
    Optional<String> unavailableReason() {
        return switch (this) {
            case MEMORY -> Optional.empty();
            case REDIS -> reachable(REDIS_HOST, REDIS_PORT) ? Optional.empty()
                    : Optional.of("Redis is not reachable at " + REDIS_HOST + ":" + REDIS_PORT);
            case H2 -> Optional.empty();
            case POSTGRESQL -> postgresqlUser().isPresent() ? Optional.empty()
                    : Optional.of("PostgreSQL does not accept a connection at " + POSTGRESQL_URL);
        };
    }

    /** A new, empty store; closing the result removes whatever the trial wrote and disconnects. */
    Opened open(SecureRandom random) {
        return switch (this) {
            case MEMORY -> new Opened(InMemoryDeviceAuthorizationStore.create(), () -> { });
            case REDIS -> openRedis(random);
            case H2 -> openJdbc(Dialect.H2, "jdbc:h2:mem:bench" + Long.toHexString(random.nextLong() & 0xffff_ffffL)
                    + ";DB_CLOSE_DELAY=-1", "sa", random);
            case POSTGRESQL -> openJdbc(Dialect.POSTGRESQL, POSTGRESQL_URL, postgresqlUser().orElseThrow(
                    () -> new IllegalStateException("PostgreSQL is not available")), random);
        };
    }

    private static Opened openJdbc(Dialect dialect, String url, String user, SecureRandom random) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setPoolName("devicegrant-bench-" + dialect);
        HikariDataSource pool = new HikariDataSource(config);
        String tablePrefix = "dg_bench_" + Long.toHexString(random.nextLong() & 0xffff_ffffL);
        String table = tablePrefix + "_authorization";
        JdbcDeviceAuthorizationStore store = JdbcDeviceAuthorizationStore.of(
                JdbcConnection.of(pool).withDialect(dialect).withTablePrefix(tablePrefix));
        store.createSchema();
        Runnable analyze = () -> {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute((dialect == Dialect.H2 ? "ANALYZE TABLE " : "ANALYZE ") + table);
            } catch (SQLException e) {
                throw new IllegalStateException("ANALYZE failed after filling the store", e);
            }
        };
        return new Opened(store, analyze, () -> {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            } finally {
                pool.close();
            }
        });
    }

    private static Optional<String> postgresqlUser() {
        DriverManager.setLoginTimeout(3);
        for (String user : POSTGRESQL_USERS) {
            try (Connection ignored = DriverManager.getConnection(POSTGRESQL_URL, user, "")) {
                return Optional.of(user);
            } catch (SQLException e) {
                // try the next user
            }
        }
        return Optional.empty();
    }

    private static Opened openRedis(SecureRandom random) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost(REDIS_HOST).withPort(REDIS_PORT)
                .withTimeout(Duration.ofSeconds(5)).build());
        StatefulRedisConnection<String, String> connection = client.connect();
        String prefix = "dgbench:" + Prefill.randomBase64(random, 6).replace('-', '.') + ":";
        DeviceAuthorizationStore store = RedisDeviceAuthorizationStore.builder()
                .connection(new RedisConnection(connection, prefix)).build();
        return new Opened(store, () -> {
            try {
                deleteKeys(connection, prefix);
            } finally {
                connection.close();
                client.shutdown();
            }
        });
    }

    private static void deleteKeys(StatefulRedisConnection<String, String> connection, String prefix) {
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs args = ScanArgs.Builder.matches(prefix + "*").limit(1_000);
        do {
            KeyScanCursor<String> page = connection.sync().scan(cursor, args);
            if (!page.getKeys().isEmpty()) {
                connection.sync().unlink(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
