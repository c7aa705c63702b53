package org.devicegrant.storage.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.RefreshTokenMatch;
import org.devicegrant.storage.StoreUnavailableException;

import static org.devicegrant.storage.jdbc.Columns.MAX_CLIENT_ID_LENGTH;
import static org.devicegrant.storage.jdbc.Columns.MAX_KEY_LENGTH;
import static org.devicegrant.storage.jdbc.Columns.MAX_SUBJECT_LENGTH;
import static org.devicegrant.storage.jdbc.Columns.getInstant;
import static org.devicegrant.storage.jdbc.Columns.requireLength;
import static org.devicegrant.storage.jdbc.Columns.setInstant;
import static org.devicegrant.storage.jdbc.Columns.setString;

/**
 * A {@link GrantStore} in two tables of a PostgreSQL, MariaDB/MySQL or H2 database, over plain
 * JDBC and the host's {@link DataSource}, both named by a {@link JdbcConnection}. Every node of a
 * cluster may use its own instance over the same tables.
 *
 * <p><b>Schema.</b> The DDL ships as {@code org/devicegrant/storage/jdbc/grant-schema-postgresql.sql},
 * {@code grant-schema-mariadb.sql} and {@code grant-schema-h2.sql} for the default names; adopt it
 * in a migration tool, or call {@link #createSchema()}. {@code <tablePrefix>_grant} holds one row
 * per grant (primary key {@code (tenant, id)}) with the current refresh-token hash;
 * {@code <tablePrefix>_grant_refresh_token} holds every refresh-token hash a grant ever held
 * (primary key {@code (tenant, token_hash)}, so a hash belongs to one grant of a tenant), with
 * {@code retired_at} null while it is the current one. {@link #listActive} finds a subject's
 * grants through {@code subject_key}, the SHA-256 of the subject, and then compares the subject
 * itself. Its rows reference their grant with
 * {@code ON DELETE CASCADE}, so purging a grant purges its hashes and no hash outlives its grant.
 *
 * <p><b>Atomicity.</b> Reads and {@link #deleteExpired} are one statement each in auto-commit.
 * {@link #create} is one transaction: insert the grant, then its hash. {@link #replace} is one
 * transaction: lock the grant's row ({@code SELECT … FOR UPDATE}), decide, then
 * {@code UPDATE … WHERE tenant = ? AND id = ? AND version = ?} (which also refuses to make a revoked
 * grant active), and when the refresh-token hash changes, retire the old hash and insert the new
 * one as current. Of any number of concurrent replaces of one version, on any number of nodes,
 * the row lock lets exactly one in; the others then read the new version and return false.
 * On MariaDB/MySQL these transactions run at {@code READ COMMITTED} (restored afterwards), against
 * InnoDB's gap locks; a transaction the database rolls back as a deadlock or serialization victim
 * (SQLState class 40) is retried, three attempts in all.
 *
 * <p><b>Precision.</b> Instants are stored as epoch milliseconds: sub-millisecond parts are
 * truncated on write.
 *
 * <p><b>Failures.</b> Every {@link SQLException} other than the unique violations that mean a
 * duplicate grant or refresh-token hash becomes a {@link StoreUnavailableException} whose message
 * names the operation and the SQLState, never a value; a failed write is rolled back.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class JdbcGrantStore implements GrantStore {

    /** The start of the table names in the schema resources, replaced by the configured one. */
    static final String DEFAULT_TABLE_PREFIX = "devicegrant_grant";

    /** Attempts of a write that the database chose as a deadlock or serialization victim. */
    static final int WRITE_ATTEMPTS = 3;

    private static final List<String> COLUMNS = List.of("id", "tenant", "authorization_id", "client_id", "subject",
            "scopes", "claims", "auth_time", "device_metadata", "created_at", "last_used_at", "expires_at", "status",
            "revoked_at", "refresh_token_hash", "dpop_jkt", "version", "purge_at", "subject_key");
    /** The columns a grant is read from: all but {@code purge_at} and {@code subject_key}. */
    private static final int READ_COLUMNS = 17;

    private final JdbcOperations operations;
    private final String grantTable;
    private final String tokenTable;
    private volatile Dialect dialect;

    private final String insertGrant;
    private final String insertToken;
    private final String selectById;
    private final String selectByTokenHash;
    private final String lockGrant;
    private final String updateGrant;
    private final String retireToken;
    private final String selectActiveOfSubject;

    private JdbcGrantStore(JdbcConnection connection) {
        this.operations = new JdbcOperations(connection.dataSource());
        this.dialect = connection.dialect();
        this.grantTable = connection.grantTable();
        this.tokenTable = connection.grantRefreshTokenTable();
        String readColumns = String.join(", ", COLUMNS.subList(0, READ_COLUMNS));
        insertGrant = "INSERT INTO " + grantTable + " (" + String.join(", ", COLUMNS) + ") VALUES ("
                + String.join(", ", Collections.nCopies(COLUMNS.size(), "?")) + ")";
        insertToken = "INSERT INTO " + tokenTable + " (tenant, token_hash, grant_id, retired_at) VALUES (?, ?, ?, NULL)";
        selectById = "SELECT " + readColumns + " FROM " + grantTable + " WHERE tenant = ? AND id = ?";
        selectByTokenHash = "SELECT " + COLUMNS.subList(0, READ_COLUMNS).stream().map(c -> "g." + c)
                .collect(Collectors.joining(", ")) + ", r.retired_at FROM " + tokenTable + " r JOIN " + grantTable
                + " g ON g.tenant = r.tenant AND g.id = r.grant_id WHERE r.tenant = ? AND r.token_hash = ?";
        lockGrant = "SELECT version, client_id, subject, status, refresh_token_hash FROM " + grantTable
                + " WHERE tenant = ? AND id = ? FOR UPDATE";
        updateGrant = "UPDATE " + grantTable + " SET " + Stream.of("authorization_id", "scopes", "claims", "auth_time",
                        "device_metadata", "created_at", "last_used_at", "expires_at", "status", "revoked_at",
                        "refresh_token_hash", "dpop_jkt", "version", "purge_at").map(c -> c + " = ?")
                        .collect(Collectors.joining(", "))
                + " WHERE tenant = ? AND id = ? AND version = ? AND client_id = ? AND subject = ?"
                // a revoked grant never becomes active again
                + " AND (status = 'ACTIVE' OR ? = 'REVOKED')";
        retireToken = "UPDATE " + tokenTable + " SET retired_at = ?"
                + " WHERE tenant = ? AND token_hash = ? AND grant_id = ? AND retired_at IS NULL";
        selectActiveOfSubject = "SELECT " + readColumns + " FROM " + grantTable
                + " WHERE tenant = ? AND subject_key = ? AND subject = ? AND status = 'ACTIVE' AND expires_at > ?"
                + " ORDER BY last_used_at DESC, id";
    }

    /**
     * A store over {@code connection}'s tables {@code <tablePrefix>_grant} and
     * {@code <tablePrefix>_grant_refresh_token}. Opens no connection.
     *
     * @throws NullPointerException {@code connection} is null
     */
    public static JdbcGrantStore of(JdbcConnection connection) {
        return new JdbcGrantStore(Objects.requireNonNull(connection, "connection"));
    }

    /**
     * Creates both tables and their indexes if they do not exist, from this dialect's
     * {@code grant-schema-<dialect>.sql} resource with the configured prefix. Idempotent. Each
     * statement commits on its own.
     *
     * @throws StoreUnavailableException the database refused a statement or failed
     */
    public void createSchema() {
        operations.runScript("create the grant schema", schemaStatements(dialect(), grantTable));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also when a value is longer than its column (ids, tenant,
     *                                  hashes and thumbprint 128, client id 255, subject 1024
     *                                  characters)
     */
    @Override
    public void create(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        requireFits(grant);
        Dialect current = dialect();
        boolean created = operations.run("create a grant", connection -> inWriteTransaction(connection, current, tx -> {
            try {
                insertGrant(tx, grant);
                if (grant.refreshTokenHash() != null) {
                    insertToken(tx, grant.tenant(), grant.refreshTokenHash(), grant.id());
                }
                return true;
            } catch (SQLException e) {
                if (JdbcOperations.isUniqueViolation(e)) {
                    tx.rollback();
                    return false;
                }
                throw e;
            }
        }));
        if (!created) {
            throw new IllegalArgumentException("a grant with this id or refresh-token hash already exists in the tenant");
        }
    }

    @Override
    public Optional<Grant> findById(String tenant, String grantId) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(grantId, "grantId");
        return operations.run("find a grant by id", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(selectById)) {
                statement.setString(1, tenant);
                statement.setString(2, grantId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(read(rows)) : Optional.<Grant>empty();
                }
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>One join of the hash's row with its grant's; {@code current} is {@code retired_at IS NULL}.
     */
    @Override
    public Optional<RefreshTokenMatch> findByRefreshTokenHash(String tenant, String refreshTokenHash) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(refreshTokenHash, "refreshTokenHash");
        return operations.run("find a grant by refresh-token hash", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(selectByTokenHash)) {
                statement.setString(1, tenant);
                statement.setString(2, refreshTokenHash);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.<RefreshTokenMatch>empty();
                    }
                    Grant grant = read(rows);
                    rows.getLong(READ_COLUMNS + 1);
                    return Optional.of(new RefreshTokenMatch(grant, rows.wasNull()));
                }
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>One transaction; see the class comment. A retired hash is stamped with the time of the
     * version that retired it: its {@code revokedAt} when it has one, else its {@code lastUsedAt}.
     *
     * @throws IllegalArgumentException also when {@code next.version()} is not
     *                                  {@code expectedVersion + 1}, when its new refresh-token hash
     *                                  was ever held in the tenant (by this grant or another), or
     *                                  when a value is longer than its column
     */
    @Override
    public boolean replace(long expectedVersion, Grant next) {
        Objects.requireNonNull(next, "next");
        if (next.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("next.version must be expectedVersion + 1");
        }
        requireFits(next);
        Dialect current = dialect();
        ReplaceOutcome outcome = operations.run("replace a grant",
                connection -> inWriteTransaction(connection, current, tx -> replace(tx, expectedVersion, next)));
        switch (outcome) {
            case REPLACED:
                return true;
            case REFUSED:
                return false;
            case IDENTITY_CHANGED:
                throw new IllegalArgumentException("a replace must not change the grant's client or subject");
            case HASH_TAKEN:
                throw new IllegalArgumentException("the new refresh-token hash is already held in the tenant");
            default:
                throw new AssertionError(outcome);
        }
    }

    @Override
    public List<Grant> listActive(String tenant, String subject, Instant now) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(now, "now");
        return operations.run("list the active grants of a subject", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(selectActiveOfSubject)) {
                statement.setString(1, tenant);
                statement.setString(2, subjectKey(subject));
                statement.setString(3, subject);
                statement.setLong(4, now.toEpochMilli());
                try (ResultSet rows = statement.executeQuery()) {
                    List<Grant> grants = new ArrayList<>();
                    while (rows.next()) {
                        grants.add(read(rows));
                    }
                    return List.copyOf(grants);
                }
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>One {@code DELETE} of the grants with the oldest {@code purge_at} (the earlier of the lapse
     * and the revocation) first; their hashes go with them by cascade.
     */
    @Override
    public int deleteExpired(Instant before, int maxCount) {
        Objects.requireNonNull(before, "before");
        if (maxCount <= 0) {
            throw new IllegalArgumentException("maxCount must be positive, was " + maxCount);
        }
        String sql = dialect().deleteBefore(grantTable, "purge_at");
        return operations.run("delete expired grants", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, before.toEpochMilli());
                statement.setInt(2, maxCount);
                return statement.executeUpdate();
            }
        });
    }

    private enum ReplaceOutcome { REPLACED, REFUSED, IDENTITY_CHANGED, HASH_TAKEN }

    private ReplaceOutcome replace(Connection tx, long expectedVersion, Grant next) throws SQLException {
        long storedVersion;
        String storedHash;
        GrantStatus storedStatus;
        try (PreparedStatement statement = tx.prepareStatement(lockGrant)) {
            statement.setString(1, next.tenant());
            statement.setString(2, next.id());
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return ReplaceOutcome.REFUSED;
                }
                storedVersion = row.getLong(1);
                if (!next.clientId().equals(row.getString(2)) || !next.subject().equals(row.getString(3))) {
                    return ReplaceOutcome.IDENTITY_CHANGED;
                }
                storedStatus = GrantStatus.valueOf(row.getString(4));
                storedHash = row.getString(5);
            }
        }
        if (storedVersion != expectedVersion
                || storedStatus == GrantStatus.REVOKED && next.status() == GrantStatus.ACTIVE) {
            return ReplaceOutcome.REFUSED;
        }
        if (updateGrant(tx, expectedVersion, next) != 1) {
            return ReplaceOutcome.REFUSED;
        }
        String newHash = next.refreshTokenHash();
        if (Objects.equals(storedHash, newHash)) {
            return ReplaceOutcome.REPLACED;
        }
        if (storedHash != null) {
            Instant retiredAt = next.revokedAt() != null ? next.revokedAt() : next.lastUsedAt();
            try (PreparedStatement statement = tx.prepareStatement(retireToken)) {
                statement.setLong(1, retiredAt.toEpochMilli());
                statement.setString(2, next.tenant());
                statement.setString(3, storedHash);
                statement.setString(4, next.id());
                statement.executeUpdate();
            }
        }
        if (newHash != null) {
            try {
                insertToken(tx, next.tenant(), newHash, next.id());
            } catch (SQLException e) {
                if (JdbcOperations.isUniqueViolation(e)) {
                    tx.rollback();
                    return ReplaceOutcome.HASH_TAKEN;
                }
                throw e;
            }
        }
        return ReplaceOutcome.REPLACED;
    }

    /**
     * Runs {@code work} as one transaction at READ COMMITTED on MariaDB, retrying it when the
     * database rolled it back as a deadlock or serialization victim. A {@code work} that rolls back
     * itself and returns is committed as the empty transaction it then is.
     */
    private static <T> T inWriteTransaction(Connection connection, Dialect dialect, JdbcOperations.Work<T> work)
            throws SQLException {
        JdbcOperations.ReadCommittedOnMariadb isolation = new JdbcOperations.ReadCommittedOnMariadb(connection, dialect);
        try {
            isolation.ensure();
            for (int attempt = 1; ; attempt++) {
                try {
                    return JdbcOperations.inTransaction(connection, work);
                } catch (SQLException e) {
                    if (attempt >= WRITE_ATTEMPTS || !isTransactionRollback(e)) {
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

    private void insertGrant(Connection tx, Grant g) throws SQLException {
        try (PreparedStatement statement = tx.prepareStatement(insertGrant)) {
            int i = 0;
            statement.setString(++i, g.id());
            statement.setString(++i, g.tenant());
            statement.setString(++i, g.authorizationId());
            statement.setString(++i, g.clientId());
            statement.setString(++i, g.subject());
            statement.setString(++i, TextCodec.encodeSet(g.scopes()));
            setString(statement, ++i, g.claims());
            setInstant(statement, ++i, g.authTime());
            statement.setString(++i, TextCodec.encodeMap(g.deviceMetadata()));
            statement.setLong(++i, g.createdAt().toEpochMilli());
            statement.setLong(++i, g.lastUsedAt().toEpochMilli());
            statement.setLong(++i, g.expiresAt().toEpochMilli());
            statement.setString(++i, g.status().name());
            setInstant(statement, ++i, g.revokedAt());
            setString(statement, ++i, g.refreshTokenHash());
            setString(statement, ++i, g.dpopJkt());
            statement.setLong(++i, g.version());
            statement.setLong(++i, purgeAt(g));
            statement.setString(++i, subjectKey(g.subject()));
            statement.executeUpdate();
        }
    }

    private int updateGrant(Connection tx, long expectedVersion, Grant g) throws SQLException {
        try (PreparedStatement statement = tx.prepareStatement(updateGrant)) {
            int i = 0;
            statement.setString(++i, g.authorizationId());
            statement.setString(++i, TextCodec.encodeSet(g.scopes()));
            setString(statement, ++i, g.claims());
            setInstant(statement, ++i, g.authTime());
            statement.setString(++i, TextCodec.encodeMap(g.deviceMetadata()));
            statement.setLong(++i, g.createdAt().toEpochMilli());
            statement.setLong(++i, g.lastUsedAt().toEpochMilli());
            statement.setLong(++i, g.expiresAt().toEpochMilli());
            statement.setString(++i, g.status().name());
            setInstant(statement, ++i, g.revokedAt());
            setString(statement, ++i, g.refreshTokenHash());
            setString(statement, ++i, g.dpopJkt());
            statement.setLong(++i, g.version());
            statement.setLong(++i, purgeAt(g));
            statement.setString(++i, g.tenant());
            statement.setString(++i, g.id());
            statement.setLong(++i, expectedVersion);
            statement.setString(++i, g.clientId());
            statement.setString(++i, g.subject());
            statement.setString(++i, g.status().name());
            return statement.executeUpdate();
        }
    }

    private void insertToken(Connection tx, String tenant, String hash, String grantId) throws SQLException {
        try (PreparedStatement statement = tx.prepareStatement(insertToken)) {
            statement.setString(1, tenant);
            statement.setString(2, hash);
            statement.setString(3, grantId);
            statement.executeUpdate();
        }
    }

    /**
     * The index key of {@code subject}: its SHA-256, base64url. A subject may be longer than an
     * index entry may be (PostgreSQL's b-tree entries end near 2,700 bytes, InnoDB's keys at 3,072).
     */
    static String subjectKey(String subject) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** When the grant stops counting: the earlier of its lapse and its revocation. */
    private static long purgeAt(Grant g) {
        long expires = g.expiresAt().toEpochMilli();
        return g.revokedAt() == null ? expires : Math.min(expires, g.revokedAt().toEpochMilli());
    }

    private static Grant read(ResultSet row) throws SQLException {
        try {
            return Grant.builder()
                    .id(row.getString(1))
                    .tenant(row.getString(2))
                    .authorizationId(row.getString(3))
                    .clientId(row.getString(4))
                    .subject(row.getString(5))
                    .scopes(TextCodec.decodeSet(row.getString(6)))
                    .claims(row.getString(7))
                    .authTime(getInstant(row, 8))
                    .deviceMetadata(TextCodec.decodeMap(row.getString(9)))
                    .createdAt(Instant.ofEpochMilli(row.getLong(10)))
                    .lastUsedAt(Instant.ofEpochMilli(row.getLong(11)))
                    .expiresAt(Instant.ofEpochMilli(row.getLong(12)))
                    .status(GrantStatus.valueOf(row.getString(13)))
                    .revokedAt(getInstant(row, 14))
                    .refreshTokenHash(row.getString(15))
                    .dpopJkt(row.getString(16))
                    .version(row.getLong(17))
                    .build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StoreUnavailableException("JDBC store: a stored row is not a valid grant");
        }
    }

    private static void requireFits(Grant g) {
        requireLength(g.id(), MAX_KEY_LENGTH, "id");
        requireLength(g.tenant(), MAX_KEY_LENGTH, "tenant");
        requireLength(g.authorizationId(), MAX_KEY_LENGTH, "authorizationId");
        requireLength(g.clientId(), MAX_CLIENT_ID_LENGTH, "clientId");
        requireLength(g.subject(), MAX_SUBJECT_LENGTH, "subject");
        if (g.refreshTokenHash() != null) {
            requireLength(g.refreshTokenHash(), MAX_KEY_LENGTH, "refreshTokenHash");
        }
        if (g.dpopJkt() != null) {
            requireLength(g.dpopJkt(), MAX_KEY_LENGTH, "dpopJkt");
        }
    }

    /** The statements of the grant schema for {@code dialect}, tables starting with {@code grantTable}. */
    static List<String> schemaStatements(Dialect dialect, String grantTable) {
        return JdbcOperations.scriptStatements(dialect.grantSchemaResource(), Map.of(DEFAULT_TABLE_PREFIX, grantTable));
    }

    /** The table of grants. */
    String grantTable() {
        return grantTable;
    }

    /** The table of refresh-token hashes. */
    String refreshTokenTable() {
        return tokenTable;
    }

    /**
     * The dialect in use; detected from the database's metadata on first use when the connection
     * names none.
     *
     * @throws StoreUnavailableException detection needed a connection and could not get one
     * @throws IllegalStateException     the database is none of the supported products
     */
    Dialect dialect() {
        Dialect current = dialect;
        if (current == null) {
            current = operations.run("detect the database dialect", connection -> Dialect.detect(connection.getMetaData()));
            dialect = current;
        }
        return current;
    }
}
