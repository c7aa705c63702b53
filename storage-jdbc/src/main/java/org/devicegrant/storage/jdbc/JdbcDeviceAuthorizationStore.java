package org.devicegrant.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.PendingLimitExceededException;
import org.devicegrant.storage.AuthorizationStatus;
import org.devicegrant.storage.StoreUnavailableException;
import org.devicegrant.storage.UserCodeCollisionException;

import static org.devicegrant.storage.jdbc.Columns.MAX_CLIENT_ID_LENGTH;
import static org.devicegrant.storage.jdbc.Columns.MAX_KEY_LENGTH;
import static org.devicegrant.storage.jdbc.Columns.MAX_SUBJECT_LENGTH;
import static org.devicegrant.storage.jdbc.Columns.getInstant;
import static org.devicegrant.storage.jdbc.Columns.requireLength;
import static org.devicegrant.storage.jdbc.Columns.setInstant;
import static org.devicegrant.storage.jdbc.Columns.setString;

/**
 * A {@link DeviceAuthorizationStore} in one table of a PostgreSQL, MariaDB/MySQL or H2
 * database, over plain JDBC and a host-supplied {@link DataSource} (normally a connection
 * pool), both named by a {@link JdbcConnection}. Every node of a cluster may use its own
 * instance over the same table.
 *
 * <p><b>Schema.</b> The DDL ships as {@code org/devicegrant/storage/jdbc/schema-postgresql.sql},
 * {@code schema-mariadb.sql} and {@code schema-h2.sql} for the default table name
 * {@code devicegrant_authorization}; adopt it in a migration tool, or call
 * {@link #createSchema()}. The table is {@code <tablePrefix>_authorization}. The primary key is
 * {@code (tenant, id)}: ids, like the hashes, are unique per tenant.
 *
 * <p><b>Precision.</b> Instants are stored as epoch milliseconds and durations as
 * milliseconds: sub-millisecond parts are truncated on write, so a record reads back with
 * its instants truncated to the millisecond. Intervals must be at least one millisecond.
 *
 * <p><b>Atomicity.</b> Reads, {@link #replace}, {@link #deleteExpired} and the counts are one
 * statement each in auto-commit. {@link #create} is one {@code INSERT}; only when that
 * meets a holder of the same user code does it run a transaction of two statements (release
 * the holder if it is expired, insert again) that is rolled back on any failure. User codes
 * are unique among unexpired records of a tenant through the unique index on
 * {@code (tenant, active_user_code_hash)}, never through a read in Java. Compare-and-set is
 * {@code UPDATE … WHERE tenant = ? AND id = ? AND version = ?} with an update count of one.
 *
 * <p><b>Pending cap.</b> When {@code create} is given a cap (anything but
 * {@link Long#MAX_VALUE}) and the record is pending, the insert is conditional on the count of
 * pending, unexpired records of the tenant being below the cap, in the same statement. That
 * count sees the records committed when the statement starts, so creates of one tenant whose
 * statements overlap do not see each other: each of them may take the last free place, and the
 * tenant may end up with up to the cap plus the number of such overlapping creates minus one
 * pending records. Every create holds a connection while its statement runs, so that overshoot
 * is below the total size of the pools writing to the table, never more; creates that do not
 * overlap keep the cap exactly. (This module's concurrency tests: 64 threads on two pools
 * of 12 under a cap of 10 create from 10 to 33 records.)
 *
 * <p><b>MariaDB/MySQL.</b> The takeover transaction and the capped insert run at
 * {@code READ COMMITTED} (the connection's level is restored afterwards), since InnoDB's
 * REPEATABLE READ gap locks make them deadlock when concurrent; a create chosen as a
 * deadlock victim anyway (SQLState class 40) is retried, three attempts in all. The schema
 * uses the binary collation {@code utf8mb4_bin}, which is {@code PAD SPACE}: ids, tenants
 * and hashes that differ only by trailing spaces compare equal there; devicegrant never
 * produces such values.
 *
 * <p><b>Failures.</b> Every {@link SQLException} other than the unique violations that mean
 * a user-code collision or a duplicate record becomes a {@link StoreUnavailableException}
 * whose message names the operation and the SQLState, never a value. When the driver's
 * message may quote values (SQLState classes 22 and 23) the cause is replaced by a bare
 * {@link SQLException} with the same SQLState, vendor code and stack trace.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class JdbcDeviceAuthorizationStore implements DeviceAuthorizationStore {

    /** The table name of the schema resources, replaced by the configured one. */
    static final String DEFAULT_TABLE_NAME = "devicegrant_authorization";

    private final JdbcOperations operations;
    private final String tableName;
    private volatile Statements statements;

    private JdbcDeviceAuthorizationStore(JdbcConnection connection) {
        this.operations = new JdbcOperations(connection.dataSource());
        this.tableName = connection.authorizationTable();
        if (connection.dialect() != null) {
            statements = new Statements(connection.dialect(), tableName);
        }
    }

    /**
     * A store over {@code connection}'s table {@code <tablePrefix>_authorization}. Opens no
     * connection.
     *
     * @throws NullPointerException {@code connection} is null
     */
    public static JdbcDeviceAuthorizationStore of(JdbcConnection connection) {
        return new JdbcDeviceAuthorizationStore(Objects.requireNonNull(connection, "connection"));
    }

    /** The table this store uses. */
    String tableName() {
        return tableName;
    }

    /**
     * The dialect in use; detected from the database's metadata on first use when the builder
     * set none.
     *
     * @throws StoreUnavailableException detection needed a connection and could not get one
     * @throws IllegalStateException     the database is none of the supported products
     */
    Dialect dialect() {
        return statements().dialect;
    }

    /**
     * Creates the table and its indexes if they do not exist, running this dialect's schema
     * resource with the configured table name. Idempotent. Each statement commits on its own.
     *
     * @throws StoreUnavailableException the database refused a statement or failed
     */
    public void createSchema() {
        Statements sql = statements();
        operations.runScript("create the schema", schemaStatements(sql.dialect, tableName));
    }

    /**
     * {@inheritDoc}
     *
     * <p>One {@code INSERT} when the user code is free; see the class comment for the
     * takeover transaction and how exact the pending cap is.
     *
     * @throws IllegalArgumentException also when a value is longer than its column (id,
     *                                  tenant and hashes 128, client id 255, subject 1024
     *                                  characters) or the interval is under a millisecond
     */
    @Override
    public void create(DeviceAuthorization authorization, Instant now, long maxPendingInTenant)
            throws UserCodeCollisionException, PendingLimitExceededException {
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(now, "now");
        if (maxPendingInTenant < 1) {
            throw new IllegalArgumentException("maxPendingInTenant must be at least 1, was " + maxPendingInTenant);
        }
        requireFits(authorization);
        Statements sql = statements();
        long cap = maxPendingInTenant != Long.MAX_VALUE && authorization.isPendingAt(now) ? maxPendingInTenant : 0;
        CreateOutcome outcome = run("create an authorization",
                connection -> create(connection, sql, authorization, now, cap));
        switch (outcome) {
            case CREATED:
                return;
            case USER_CODE_HELD:
                throw new UserCodeCollisionException(authorization.tenant());
            case PENDING_CAP_REACHED:
                throw new PendingLimitExceededException(authorization.tenant(), maxPendingInTenant);
            case DUPLICATE_RECORD:
                throw new IllegalArgumentException("an authorization with this id or device-code hash already exists");
            default:
                throw new AssertionError(outcome);
        }
    }

    @Override
    public Optional<DeviceAuthorization> findByDeviceCodeHash(String tenant, String deviceCodeHash) {
        return findOne("find by device-code hash", statements().selectByDeviceCodeHash, tenant, deviceCodeHash);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Looks up {@code active_user_code_hash}: the holder keeps it after it expires until a
     * create takes the code over, so an expired holder that was not taken over is found.
     */
    @Override
    public Optional<DeviceAuthorization> findByUserCodeHash(String tenant, String userCodeHash) {
        return findOne("find by user-code hash", statements().selectByUserCodeHash, tenant, userCodeHash);
    }

    @Override
    public Optional<DeviceAuthorization> findById(String tenant, String id) {
        return findOne("find by id", statements().selectById, tenant, id);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One {@code UPDATE}. The {@code WHERE} clause also matches the identity columns, so a
     * {@code next} that changes the tenant, a hash, the client id, the creation time or the
     * expiry replaces nothing and returns false.
     */
    @Override
    public boolean replace(long expectedVersion, DeviceAuthorization next) {
        Objects.requireNonNull(next, "next");
        if (next.version() <= expectedVersion) {
            throw new IllegalArgumentException("next.version must be greater than expectedVersion");
        }
        requireFits(next);
        Statements sql = statements();
        int updated = run("replace an authorization", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.compareAndSet)) {
                int i = 0;
                statement.setString(++i, TextCodec.encodeSet(next.requestedScopes()));
                statement.setString(++i, TextCodec.encodeMap(next.deviceMetadata()));
                statement.setString(++i, next.status().name());
                setString(statement, ++i, next.subject());
                statement.setString(++i, TextCodec.encodeSet(next.grantedScopes()));
                setString(statement, ++i, next.claims());
                setInstant(statement, ++i, next.authTime());
                statement.setLong(++i, next.interval().toMillis());
                setInstant(statement, ++i, next.lastPolledAt());
                statement.setLong(++i, next.version());
                statement.setString(++i, next.tenant());
                statement.setString(++i, next.id());
                statement.setLong(++i, expectedVersion);
                statement.setString(++i, next.deviceCodeHash());
                statement.setString(++i, next.userCodeHash());
                statement.setString(++i, next.clientId());
                statement.setLong(++i, next.createdAt().toEpochMilli());
                statement.setLong(++i, next.expiresAt().toEpochMilli());
                return statement.executeUpdate();
            }
        });
        return updated == 1;
    }

    /**
     * {@inheritDoc}
     *
     * <p>One {@code DELETE} of the oldest expired rows first.
     */
    @Override
    public int deleteExpired(Instant expiredBefore, int maxCount) {
        Objects.requireNonNull(expiredBefore, "expiredBefore");
        if (maxCount <= 0) {
            throw new IllegalArgumentException("maxCount must be positive, was " + maxCount);
        }
        Statements sql = statements();
        return run("delete expired authorizations", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.deleteExpired)) {
                statement.setLong(1, expiredBefore.toEpochMilli());
                statement.setInt(2, maxCount);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public long countPending(String tenant, Instant now) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(now, "now");
        return count("count pending authorizations", statements().countPending, tenant, now.toEpochMilli());
    }

    @Override
    public long countPending(String tenant, String clientId, Instant now) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(now, "now");
        return count("count pending authorizations of a client", statements().countPendingOfClient,
                tenant, clientId, now.toEpochMilli());
    }

    private enum CreateOutcome { CREATED, USER_CODE_HELD, PENDING_CAP_REACHED, DUPLICATE_RECORD }

    /** Attempts of a create that the database chose as a deadlock or serialization victim. */
    static final int CREATE_ATTEMPTS = 3;

    /** {@code cap} 0: insert without counting. */
    private CreateOutcome create(Connection connection, Statements sql, DeviceAuthorization a, Instant now, long cap)
            throws SQLException {
        JdbcOperations.ReadCommittedOnMariadb isolation = new JdbcOperations.ReadCommittedOnMariadb(connection,
                sql.dialect);
        try {
            if (cap > 0) {
                isolation.ensure();
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    return createOnce(connection, sql, a, now, cap, isolation);
                } catch (SQLException e) {
                    if (attempt >= CREATE_ATTEMPTS || !isTransactionRollback(e)) {
                        throw e;
                    }
                }
            }
        } finally {
            isolation.restore();
        }
    }

    /** SQLState class 40: the database rolled the transaction back (deadlock, serialization). */
    private static boolean isTransactionRollback(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("40");
    }

    private CreateOutcome createOnce(Connection connection, Statements sql, DeviceAuthorization a, Instant now,
            long cap, JdbcOperations.ReadCommittedOnMariadb isolation) throws SQLException {
        try {
            if (insert(connection, sql, a, now, cap) == 0) {
                return CreateOutcome.PENDING_CAP_REACHED;
            }
            return CreateOutcome.CREATED;
        } catch (SQLException e) {
            if (!JdbcOperations.isUniqueViolation(e)) {
                throw e;
            }
        }
        // The id, the device-code hash or the user code is taken. Release the user code
        // if its holder is expired, and insert again, atomically.
        isolation.ensure();
        CreateOutcome outcome = takeOverExpiredHolder(connection, sql, a, now, cap);
        if (outcome != null) {
            return outcome;
        }
        return isDuplicateRecord(connection, sql, a) ? CreateOutcome.DUPLICATE_RECORD : CreateOutcome.USER_CODE_HELD;
    }

    /** The outcome, or null when the insert still met a unique violation (all rolled back). */
    private CreateOutcome takeOverExpiredHolder(Connection connection, Statements sql, DeviceAuthorization a,
            Instant now, long cap) throws SQLException {
        connection.setAutoCommit(false);
        try {
            int released;
            try (PreparedStatement release = connection.prepareStatement(sql.releaseExpiredUserCodeHolder)) {
                release.setString(1, a.tenant());
                release.setString(2, a.userCodeHash());
                release.setLong(3, now.toEpochMilli());
                released = release.executeUpdate();
            }
            if (released == 0) {
                connection.rollback();
                return null;
            }
            int inserted;
            try {
                inserted = insert(connection, sql, a, now, cap);
            } catch (SQLException e) {
                connection.rollback();
                if (JdbcOperations.isUniqueViolation(e)) {
                    return null;
                }
                throw e;
            }
            if (inserted == 0) {
                connection.rollback();
                return CreateOutcome.PENDING_CAP_REACHED;
            }
            connection.commit();
            return CreateOutcome.CREATED;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static int insert(Connection connection, Statements sql, DeviceAuthorization a, Instant now, long cap)
            throws SQLException {
        boolean capped = cap > 0;
        try (PreparedStatement statement = connection.prepareStatement(capped ? sql.insertBelowPendingCap : sql.insert)) {
            int i = 0;
            statement.setString(++i, a.id());
            statement.setString(++i, a.tenant());
            statement.setString(++i, a.deviceCodeHash());
            statement.setString(++i, a.userCodeHash());
            statement.setString(++i, a.userCodeHash());
            statement.setString(++i, a.clientId());
            statement.setString(++i, TextCodec.encodeSet(a.requestedScopes()));
            statement.setString(++i, TextCodec.encodeMap(a.deviceMetadata()));
            statement.setString(++i, a.status().name());
            setString(statement, ++i, a.subject());
            statement.setString(++i, TextCodec.encodeSet(a.grantedScopes()));
            setString(statement, ++i, a.claims());
            setInstant(statement, ++i, a.authTime());
            statement.setLong(++i, a.createdAt().toEpochMilli());
            statement.setLong(++i, a.expiresAt().toEpochMilli());
            statement.setLong(++i, a.interval().toMillis());
            setInstant(statement, ++i, a.lastPolledAt());
            statement.setLong(++i, a.version());
            if (capped) {
                statement.setString(++i, a.tenant());
                statement.setLong(++i, now.toEpochMilli());
                statement.setLong(++i, cap);
            }
            return statement.executeUpdate();
        }
    }

    private static boolean isDuplicateRecord(Connection connection, Statements sql, DeviceAuthorization a)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.countIdOrDeviceCodeHash)) {
            statement.setString(1, a.tenant());
            statement.setString(2, a.id());
            statement.setString(3, a.deviceCodeHash());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }

    private Optional<DeviceAuthorization> findOne(String operation, String query, String tenant, String key) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(key, "key");
        return run(operation, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(query)) {
                statement.setString(1, tenant);
                statement.setString(2, key);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(read(rows)) : Optional.<DeviceAuthorization>empty();
                }
            }
        });
    }

    private long count(String operation, String query, Object... parameters) {
        return run(operation, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(query)) {
                for (int i = 0; i < parameters.length; i++) {
                    if (parameters[i] instanceof Long) {
                        statement.setLong(i + 1, (Long) parameters[i]);
                    } else {
                        statement.setString(i + 1, (String) parameters[i]);
                    }
                }
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    private static DeviceAuthorization read(ResultSet row) throws SQLException {
        try {
            return DeviceAuthorization.builder()
                    .id(row.getString(1))
                    .tenant(row.getString(2))
                    .deviceCodeHash(row.getString(3))
                    .userCodeHash(row.getString(4))
                    .clientId(row.getString(6))
                    .requestedScopes(TextCodec.decodeSet(row.getString(7)))
                    .deviceMetadata(TextCodec.decodeMap(row.getString(8)))
                    .status(AuthorizationStatus.valueOf(row.getString(9)))
                    .subject(row.getString(10))
                    .grantedScopes(TextCodec.decodeSet(row.getString(11)))
                    .claims(row.getString(12))
                    .authTime(getInstant(row, 13))
                    .createdAt(Instant.ofEpochMilli(row.getLong(14)))
                    .expiresAt(Instant.ofEpochMilli(row.getLong(15)))
                    .interval(Duration.ofMillis(row.getLong(16)))
                    .lastPolledAt(getInstant(row, 17))
                    .version(row.getLong(18))
                    .build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StoreUnavailableException("JDBC store: a stored row is not a valid device authorization");
        }
    }

    private static void requireFits(DeviceAuthorization a) {
        requireLength(a.id(), MAX_KEY_LENGTH, "id");
        requireLength(a.tenant(), MAX_KEY_LENGTH, "tenant");
        requireLength(a.deviceCodeHash(), MAX_KEY_LENGTH, "deviceCodeHash");
        requireLength(a.userCodeHash(), MAX_KEY_LENGTH, "userCodeHash");
        requireLength(a.clientId(), MAX_CLIENT_ID_LENGTH, "clientId");
        if (a.subject() != null) {
            requireLength(a.subject(), MAX_SUBJECT_LENGTH, "subject");
        }
        if (a.interval().toMillis() < 1) {
            throw new IllegalArgumentException("interval must be at least 1 ms for the JDBC store");
        }
    }

    static List<String> schemaStatements(Dialect dialect, String tableName) {
        return JdbcOperations.scriptStatements(dialect.schemaResource(), Map.of(DEFAULT_TABLE_NAME, tableName));
    }

    private <T> T run(String operation, JdbcOperations.Work<T> work) {
        return operations.run(operation, work);
    }

    private Statements statements() {
        Statements current = statements;
        if (current == null) {
            Dialect detected = run("detect the database dialect",
                    connection -> Dialect.detect(connection.getMetaData()));
            current = new Statements(detected, tableName);
            statements = current;
        }
        return current;
    }

    private static void rollbackQuietly(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(JdbcOperations.withoutValues(e));
        }
    }
}
