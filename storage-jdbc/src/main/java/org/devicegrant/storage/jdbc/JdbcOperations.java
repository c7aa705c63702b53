package org.devicegrant.storage.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.devicegrant.storage.StoreUnavailableException;

/**
 * Runs units of JDBC work on connections of one {@link DataSource}, and maps every
 * {@link SQLException} that escapes to a {@link StoreUnavailableException} that names the
 * operation and the SQLState, never a value. Thread-safe.
 */
final class JdbcOperations {

    /** One unit of work on a borrowed connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    JdbcOperations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs {@code work} on a connection in auto-commit mode (switching it on, and back
     * afterwards, when the pool hands out connections without it).
     *
     * @throws StoreUnavailableException an {@link SQLException} escaped {@code work}
     */
    <T> T run(String operation, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            if (!autoCommit) {
                connection.setAutoCommit(true);
            }
            try {
                return work.run(connection);
            } finally {
                if (!autoCommit) {
                    connection.setAutoCommit(false);
                }
            }
        } catch (SQLException e) {
            throw unavailable(operation, e);
        }
    }

    /**
     * Runs {@code work} in one transaction on {@code connection} (in auto-commit mode on
     * entry): commits when it returns, rolls back when it throws, and leaves auto-commit on.
     */
    static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(withoutValues(rollbackFailure));
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * Switches one borrowed connection to READ COMMITTED on MariaDB, where REPEATABLE READ's
     * gap locks make concurrent inserts into one index range deadlock, and back. Does nothing
     * on other dialects. Not thread-safe: one per connection use.
     */
    static final class ReadCommittedOnMariadb {
        private final Connection connection;
        private final boolean mariadb;
        private int previous = Connection.TRANSACTION_NONE;

        ReadCommittedOnMariadb(Connection connection, Dialect dialect) {
            this.connection = connection;
            this.mariadb = dialect == Dialect.MARIADB;
        }

        /** Switches now, if not done yet; later calls cost nothing. */
        void ensure() throws SQLException {
            if (!mariadb || previous != Connection.TRANSACTION_NONE) {
                return;
            }
            int current = connection.getTransactionIsolation();
            if (current != Connection.TRANSACTION_READ_COMMITTED) {
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            previous = current;
        }

        /** Puts back the level found by {@link #ensure()}. */
        void restore() throws SQLException {
            if (previous != Connection.TRANSACTION_NONE && previous != Connection.TRANSACTION_READ_COMMITTED) {
                connection.setTransactionIsolation(previous);
            }
            previous = Connection.TRANSACTION_NONE;
        }
    }

    /** Runs every statement of a schema script, each committing on its own. */
    void runScript(String operation, List<String> statements) {
        run(operation, connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String each : statements) {
                    statement.execute(each);
                }
            }
            return null;
        });
    }

    /**
     * The statements of the schema resource {@code name} in this package, comment lines
     * dropped, each key of {@code renames} replaced by its value.
     */
    static List<String> scriptStatements(String name, Map<String, String> renames) {
        String text;
        try (InputStream in = JdbcOperations.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + name);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read schema resource " + name, e);
        }
        StringBuilder withoutComments = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!line.strip().startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        String script = withoutComments.toString();
        for (Map.Entry<String, String> rename : renames.entrySet()) {
            script = script.replace(rename.getKey(), rename.getValue());
        }
        List<String> statements = new ArrayList<>();
        for (String each : script.split(";")) {
            if (!each.isBlank()) {
                statements.add(each.strip());
            }
        }
        return statements;
    }

    static StoreUnavailableException unavailable(String operation, SQLException e) {
        return new StoreUnavailableException("JDBC store could not " + operation + " (SQLState "
                + e.getSQLState() + ", vendor code " + e.getErrorCode() + ")", withoutValues(e));
    }

    /**
     * {@code e}, or when its message may quote stored values (data exceptions, class 22;
     * integrity violations, class 23) a bare copy with the same SQLState, vendor code and
     * stack trace.
     */
    static SQLException withoutValues(SQLException e) {
        String state = e.getSQLState();
        if (state == null || !(state.startsWith("22") || state.startsWith("23"))) {
            return e;
        }
        SQLException bare = new SQLException(
                "SQLState " + state + ", vendor code " + e.getErrorCode() + " (driver message withheld: it may quote values)",
                state, e.getErrorCode());
        bare.setStackTrace(e.getStackTrace());
        return bare;
    }

    /** True for a unique-key violation: SQLState 23505 (PostgreSQL, H2) or MariaDB error 1062. */
    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState()) || e.getErrorCode() == 1062 && "23000".equals(e.getSQLState());
    }
}
