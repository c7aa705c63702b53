package org.devicegrant.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.devicegrant.storage.tck.Services;

/**
 * The databases the tests run on. H2 is in-process and always there; PostgreSQL and MariaDB
 * are loopback servers: when one is unreachable its suites are skipped with one printed line,
 * unless {@code DEVICEGRANT_REQUIRE_SERVICES=1}, which makes them fail ({@link Services}).
 */
enum TestDatabase {
    H2(Dialect.H2, "H2", 0, List.of("sa")),
    POSTGRESQL(Dialect.POSTGRESQL, "PostgreSQL", 5432, List.of("postgres", "root")),
    MARIADB(Dialect.MARIADB, "MariaDB", 3306, List.of("root"));

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<TestDatabase, String> WORKING_USER = new ConcurrentHashMap<>();
    private static final Map<TestDatabase, String> UNREACHABLE = new ConcurrentHashMap<>();

    final Dialect dialect;
    final String displayName;
    final int port;
    private final List<String> users;

    TestDatabase(Dialect dialect, String displayName, int port, List<String> users) {
        this.dialect = dialect;
        this.displayName = displayName;
        this.port = port;
        this.users = users;
    }

    String jdbcUrl(int port) {
        switch (this) {
            case H2:
                return "jdbc:h2:mem:devicegrant;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000";
            case POSTGRESQL:
                return "jdbc:postgresql://127.0.0.1:" + port + "/test?connectTimeout=3&socketTimeout=10";
            case MARIADB:
                return "jdbc:mariadb://127.0.0.1:" + port + "/test?connectTimeout=3000&socketTimeout=10000";
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * Skips (or fails, when services are required) the calling suite if the server is down
     * ({@link Services#require}) or no known user can log in.
     */
    void assumeAvailable() {
        if (this == H2) {
            return;
        }
        Services.require(displayName, "127.0.0.1", port);
        user();
        String reason = UNREACHABLE.get(this);
        if (reason != null) {
            Services.unavailable(reason);
        }
    }

    /** The user name that connects, found once. */
    synchronized String user() {
        String known = WORKING_USER.get(this);
        if (known != null || UNREACHABLE.containsKey(this)) {
            return known;
        }
        DriverManager.setLoginTimeout(3);
        for (String user : users) {
            try (Connection ignored = DriverManager.getConnection(jdbcUrl(port), user, "")) {
                WORKING_USER.put(this, user);
                return user;
            } catch (SQLException e) {
                // try the next user
            }
        }
        String reason = displayName + " on 127.0.0.1:" + port + " accepts none of the users " + users
                + (Services.required() ? " and " + Services.REQUIRE_ENV + "=1: failing its suites"
                        : ": skipping its suites (set " + Services.REQUIRE_ENV + "=1 to fail instead)");
        System.out.println("[devicegrant-storage-jdbc] " + reason);
        UNREACHABLE.put(this, reason);
        return null;
    }

    /** A pool on the server's own port. */
    HikariDataSource pool(String name, int size) {
        return pool(name, size, port);
    }

    /** A pool reaching the server through {@code port} (e.g. a proxy's). */
    HikariDataSource pool(String name, int size, int port) {
        return pool(name, size, port, 2_000);
    }

    /** A pool reaching the server through {@code port}, waiting at most that long for a connection. */
    HikariDataSource pool(String name, int size, int port, long connectionTimeoutMillis) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(jdbcUrl(port));
        config.setUsername(this == H2 ? "sa" : user());
        config.setPassword("");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(connectionTimeoutMillis);
        config.setValidationTimeout(Math.min(1_000, connectionTimeoutMillis));
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /** A direct connection, outside any pool. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(port), this == H2 ? "sa" : user(), "");
    }

    /** A fresh table prefix, so that concurrent runs on one server never share a table. */
    static String randomTablePrefix() {
        return "dg_test_" + Long.toHexString(RANDOM.nextLong() & 0xffff_ffffL);
    }

    void dropTable(String table) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + table);
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test table " + table, e);
        }
    }

    void dropTables(String... tables) {
        for (String table : tables) {
            dropTable(table);
        }
    }

    /** Drops the attempt limiter's three tables of {@code tablePrefix}. */
    void dropLimiterTables(String tablePrefix) {
        dropTables(tablePrefix + "_attempt_failure", tablePrefix + "_attempt_key", tablePrefix + "_attempt_tenant");
    }

    void deleteAllRows(String table) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM " + table);
        }
    }
}
