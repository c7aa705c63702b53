package org.devicegrant.storage.jdbc;

import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * How the JDBC stores and the attempt limiter reach the database: the host's data source, the SQL
 * dialect and the prefix of every table name. Build it once and hand it to
 * {@link JdbcDeviceAuthorizationStore#of(JdbcConnection)},
 * {@link JdbcAttemptLimiter.Builder#connection(JdbcConnection)} and {@link JdbcGrantStore#of(JdbcConnection)}.
 *
 * <p>Tables: the store's is {@code <tablePrefix>_authorization}; the limiter's are
 * {@code <tablePrefix>_attempt_tenant}, {@code _attempt_key} and {@code _attempt_failure}; the grant
 * store's are {@code <tablePrefix>_grant} and {@code <tablePrefix>_grant_refresh_token}. With the
 * default prefix {@code devicegrant} these are the names in the shipped schema resources.
 *
 * @param dataSource  the host's data source, normally a pool; the store and the limiter take a
 *                    connection per operation and close it before returning
 * @param dialect     the SQL dialect, or null to detect it from
 *                    {@link java.sql.DatabaseMetaData#getDatabaseProductName()} on first use
 * @param tablePrefix the start of every table name: a plain unquoted identifier,
 *                    {@code [A-Za-z_][A-Za-z0-9_]*}, of 1 to 32 characters; case folding is the
 *                    database's
 */
public record JdbcConnection(DataSource dataSource, Dialect dialect, String tablePrefix) {

    /** The table prefix of {@link #of(DataSource)}. */
    static final String DEFAULT_TABLE_PREFIX = "devicegrant";
    /** Longest prefix: the longest name it starts, an index of the grant store's, appends 29 characters within 63. */
    static final int MAX_TABLE_PREFIX_LENGTH = 32;

    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * @throws NullPointerException     {@code dataSource} or {@code tablePrefix} is null
     * @throws IllegalArgumentException {@code tablePrefix} is out of its range; the message names it
     */
    public JdbcConnection {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(tablePrefix, "tablePrefix");
        if (tablePrefix.isEmpty() || tablePrefix.length() > MAX_TABLE_PREFIX_LENGTH
                || !PLAIN_IDENTIFIER.matcher(tablePrefix).matches()) {
            throw new IllegalArgumentException("tablePrefix must be a plain identifier [A-Za-z_][A-Za-z0-9_]* of 1 to "
                    + MAX_TABLE_PREFIX_LENGTH + " characters");
        }
    }

    /** {@code dataSource}, the dialect detected on first use, table prefix {@code devicegrant}. */
    public static JdbcConnection of(DataSource dataSource) {
        return new JdbcConnection(dataSource, null, DEFAULT_TABLE_PREFIX);
    }

    /** This connection with {@code dialect} instead of detection. */
    public JdbcConnection withDialect(Dialect dialect) {
        return new JdbcConnection(dataSource, Objects.requireNonNull(dialect, "dialect"), tablePrefix);
    }

    /**
     * This connection with another table prefix.
     *
     * @throws IllegalArgumentException {@code tablePrefix} is out of its range
     */
    public JdbcConnection withTablePrefix(String tablePrefix) {
        return new JdbcConnection(dataSource, dialect, tablePrefix);
    }

    /** The store's table. */
    String authorizationTable() {
        return tablePrefix + "_authorization";
    }

    /** The grant store's table of grants. */
    String grantTable() {
        return tablePrefix + "_grant";
    }

    /** The grant store's table of refresh-token hashes. */
    String grantRefreshTokenTable() {
        return tablePrefix + "_grant_refresh_token";
    }

    /** The start of the limiter's three table names. */
    String attemptTablePrefix() {
        return tablePrefix + "_attempt";
    }
}
