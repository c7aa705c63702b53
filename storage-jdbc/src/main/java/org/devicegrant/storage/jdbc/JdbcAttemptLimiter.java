package org.devicegrant.storage.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.devicegrant.storage.AttemptDecision;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.AttemptPolicy;
import org.devicegrant.storage.StoreUnavailableException;

/**
 * An {@link AttemptLimiter} shared by every node over three tables of a PostgreSQL,
 * MariaDB/MySQL or H2 database (RFC 8628 §5.1: user-code attempts are rate-limited).
 *
 * <p><b>Semantics</b> are those of the storage TCK's {@code AttemptLimiterContract}: an allowed
 * attempt is charged at once, {@link #recordSuccess} refunds the key's newest charge; a key
 * with {@code burstFailures} failures in {@code burstWindow} is refused and locked out for
 * {@code initialLockout}, doubling per further lockout up to {@code maxLockout}, and failures
 * before a lockout ended do not count toward the next burst; a key with
 * {@code windowFailures} failures in {@code window} waits until the oldest leaves it; a
 * tenant's keys together get exactly {@code globalFailures} charges per
 * {@code globalWindow}. A key quiet (no failure, no lockout) for the longer of its two
 * windows starts afresh, lockout doubling included.
 *
 * <p><b>Atomicity.</b> Each call is one transaction that first locks the tenant's row in
 * {@code <tablePrefix>_attempt_tenant} with {@code SELECT … FOR UPDATE}, so the decisions of
 * one tenant are serialised across all nodes and the global budget is exact cluster-wide;
 * tenants do not wait for each other. A decision costs four to seven statements in that transaction;
 * user-code entry is human-paced and already rate-limited, so this is cheap. On MariaDB the
 * transaction runs at {@code READ COMMITTED} (restored afterwards) to avoid gap-lock
 * deadlocks. On H2, raise {@code LOCK_TIMEOUT} when many threads share one tenant.
 *
 * <p><b>Storage.</b> Instants are stored as epoch milliseconds (sub-millisecond parts are
 * truncated). Attempt keys longer than 255 characters are stored as {@code sha256:} plus
 * their base64url SHA-256. Rows of a key are pruned when the key is next seen;
 * {@link #deleteStale(Instant)} removes what keys that never return leave behind.
 *
 * <p><b>Failures.</b> Every {@link SQLException} becomes a {@link StoreUnavailableException}
 * naming the operation and the SQLState, never a value; the transaction is rolled back, so a
 * failed call charged nothing. Immutable after {@link Builder#build()} and thread-safe.
 */
public final class JdbcAttemptLimiter implements AttemptLimiter {

    /** The start of the table names in the schema resources, replaced by the configured one. */
    static final String DEFAULT_TABLE_PREFIX = "devicegrant_attempt";

    static final int MAX_ATTEMPT_KEY_LENGTH = 255;

    private final JdbcOperations operations;
    private final String prefix;
    private final AttemptPolicy policy;
    private final long keyMemoryMillis;
    private final long retentionMillis;
    private volatile Dialect dialect;

    private final String lockTenant;
    private final String insertTenant;
    private final String selectKey;
    private final String insertKey;
    private final String updateKey;
    private final String selectKeyFailures;
    private final String sumTenantFailures;
    private final String chargeFailure;
    private final String insertFailure;
    private final String pruneKeyFailures;
    private final String selectNewestKeyFailure;
    private final String refundFailure;
    private final String deleteEmptyFailure;
    private final String deleteStaleFailures;
    private final String deleteStaleKeys;
    private final String deleteIdleTenants;

    private JdbcAttemptLimiter(Builder builder) {
        this.operations = new JdbcOperations(builder.connection.dataSource());
        this.prefix = builder.connection.attemptTablePrefix();
        this.policy = builder.policy;
        this.dialect = builder.connection.dialect();
        long burst = policy.burstWindow().toMillis();
        long window = policy.window().toMillis();
        this.keyMemoryMillis = Math.max(burst, window);
        this.retentionMillis = Math.max(keyMemoryMillis, policy.globalWindow().toMillis());
        String tenants = prefix + "_tenant";
        String keys = prefix + "_key";
        String failures = prefix + "_failure";
        lockTenant = "SELECT tenant FROM " + tenants + " WHERE tenant = ? FOR UPDATE";
        insertTenant = "INSERT INTO " + tenants + " (tenant) VALUES (?)";
        selectKey = "SELECT locked_until, burst_floor, lockouts, last_activity FROM " + keys
                + " WHERE tenant = ? AND attempt_key = ?";
        insertKey = "INSERT INTO " + keys
                + " (locked_until, burst_floor, lockouts, last_activity, tenant, attempt_key) VALUES (?, ?, ?, ?, ?, ?)";
        updateKey = "UPDATE " + keys + " SET locked_until = ?, burst_floor = ?, lockouts = ?, last_activity = ?"
                + " WHERE tenant = ? AND attempt_key = ?";
        selectKeyFailures = "SELECT failed_at, charges FROM " + failures
                + " WHERE tenant = ? AND attempt_key = ? AND failed_at > ? ORDER BY failed_at";
        sumTenantFailures = "SELECT SUM(charges), MIN(failed_at) FROM " + failures + " WHERE tenant = ? AND failed_at > ?";
        chargeFailure = "UPDATE " + failures + " SET charges = charges + 1"
                + " WHERE tenant = ? AND attempt_key = ? AND failed_at = ?";
        insertFailure = "INSERT INTO " + failures + " (tenant, attempt_key, failed_at, charges) VALUES (?, ?, ?, 1)";
        pruneKeyFailures = "DELETE FROM " + failures + " WHERE tenant = ? AND attempt_key = ? AND failed_at <= ?";
        selectNewestKeyFailure = "SELECT MAX(failed_at) FROM " + failures + " WHERE tenant = ? AND attempt_key = ?";
        refundFailure = "UPDATE " + failures + " SET charges = charges - 1"
                + " WHERE tenant = ? AND attempt_key = ? AND failed_at = ? AND charges > 0";
        deleteEmptyFailure = "DELETE FROM " + failures
                + " WHERE tenant = ? AND attempt_key = ? AND failed_at = ? AND charges <= 0";
        deleteStaleFailures = "DELETE FROM " + failures + " WHERE failed_at <= ?";
        deleteStaleKeys = "DELETE FROM " + keys + " WHERE last_activity <= ?";
        deleteIdleTenants = "DELETE FROM " + tenants + " WHERE NOT EXISTS (SELECT 1 FROM " + keys + " k WHERE k.tenant = "
                + tenants + ".tenant) AND NOT EXISTS (SELECT 1 FROM " + failures + " f WHERE f.tenant = " + tenants
                + ".tenant)";
    }

    /** A builder with no connection set and {@link AttemptPolicy#defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AttemptPolicy policy() {
        return policy;
    }

    /** The prefix of this limiter's three tables. */
    String tablePrefix() {
        return prefix;
    }

    /**
     * Creates the three tables and their indexes if they do not exist, from this dialect's
     * {@code attempt-schema-<dialect>.sql} resource with the configured prefix. Idempotent.
     *
     * @throws StoreUnavailableException the database refused a statement or failed
     */
    public void createSchema() {
        operations.runScript("create the attempt schema", schemaStatements(dialect(), prefix));
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException an argument is null
     */
    @Override
    public AttemptDecision tryAcquire(String tenant, String key, Instant now) {
        Objects.requireNonNull(tenant, "tenant");
        String storedKey = storedKey(Objects.requireNonNull(key, "key"));
        long t = Objects.requireNonNull(now, "now").toEpochMilli();
        Dialect current = dialect();
        return operations.run("decide a user-code attempt",
                connection -> underTenantLock(connection, current, tenant, tx -> decide(tx, tenant, storedKey, t)));
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException an argument is null
     */
    @Override
    public void recordSuccess(String tenant, String key, Instant now) {
        Objects.requireNonNull(tenant, "tenant");
        String storedKey = storedKey(Objects.requireNonNull(key, "key"));
        Objects.requireNonNull(now, "now");
        Dialect current = dialect();
        operations.run("refund a user-code attempt",
                connection -> underTenantLock(connection, current, tenant, tx -> refund(tx, tenant, storedKey)));
    }

    /**
     * Housekeeping: deletes the failures that no budget counts any more at {@code now}, the keys
     * quiet for longer than their windows, and the rows of tenants left with neither, in every
     * tenant. A tenant deleted while a decision runs is locked again by the next one, which
     * inserts it anew. Correctness never depends on it; run it now and then (e.g. with the store's
     * {@code deleteExpired}): without it, a deployment whose tenants are many and short-lived (as
     * core's client-secret budgets, one per source address) keeps a row for each.
     *
     * @return how many rows were deleted
     * @throws StoreUnavailableException the backend failed
     */
    public int deleteStale(Instant now) {
        long t = Objects.requireNonNull(now, "now").toEpochMilli();
        return operations.run("delete stale attempt rows", connection -> {
            int deleted;
            try (PreparedStatement statement = connection.prepareStatement(deleteStaleFailures)) {
                statement.setLong(1, t - retentionMillis);
                deleted = statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement(deleteStaleKeys)) {
                statement.setLong(1, t - keyMemoryMillis);
                deleted += statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement(deleteIdleTenants)) {
                deleted += statement.executeUpdate();
            }
            return deleted;
        });
    }

    /**
     * Runs {@code work} in a transaction holding the tenant's row lock, inserting the row
     * first when the tenant is new.
     */
    private <T> T underTenantLock(Connection connection, Dialect dialect, String tenant, JdbcOperations.Work<T> work)
            throws SQLException {
        JdbcOperations.ReadCommittedOnMariadb isolation = new JdbcOperations.ReadCommittedOnMariadb(connection, dialect);
        try {
            isolation.ensure();
            for (int attempt = 0; attempt < 2; attempt++) {
                Object[] result = new Object[1];
                boolean locked = JdbcOperations.inTransaction(connection, tx -> {
                    try (PreparedStatement statement = tx.prepareStatement(lockTenant)) {
                        statement.setString(1, tenant);
                        try (ResultSet row = statement.executeQuery()) {
                            if (!row.next()) {
                                return false;
                            }
                        }
                    }
                    result[0] = work.run(tx);
                    return true;
                });
                if (locked) {
                    @SuppressWarnings("unchecked")
                    T done = (T) result[0];
                    return done;
                }
                try (PreparedStatement statement = connection.prepareStatement(insertTenant)) {
                    statement.setString(1, tenant);
                    statement.executeUpdate();
                } catch (SQLException e) {
                    if (!JdbcOperations.isUniqueViolation(e)) {
                        throw e;
                    }
                }
            }
            throw new SQLException("the tenant row vanished while it was being locked", "40001");
        } finally {
            isolation.restore();
        }
    }

    private AttemptDecision decide(Connection tx, String tenant, String key, long now) throws SQLException {
        KeyState state = readKey(tx, tenant, key, now);
        if (state.lockedUntil != null && now < state.lockedUntil) {
            return AttemptDecision.refuse(Duration.ofMillis(state.lockedUntil - now));
        }
        List<long[]> failures = keyFailures(tx, tenant, key, now - keyMemoryMillis);

        // RFC 8628 §5.1: "the authorization server should rate-limit user code attempts"
        long burstCutoff = now - policy.burstWindow().toMillis();
        long burstCount = 0;
        for (long[] failure : failures) {
            if (failure[0] > burstCutoff && (state.burstFloor == null || failure[0] >= state.burstFloor)) {
                burstCount += failure[1];
            }
        }
        if (burstCount >= policy.burstFailures()) {
            long lockout = lockoutAfter(state.lockouts);
            state.lockouts++;
            state.lockedUntil = now + lockout;
            state.burstFloor = state.lockedUntil;
            state.lastActivity = Math.max(state.lastActivity, state.lockedUntil);
            writeKey(tx, tenant, key, state);
            return AttemptDecision.refuse(Duration.ofMillis(lockout));
        }

        long windowCutoff = now - policy.window().toMillis();
        long windowCount = 0;
        Long oldestInWindow = null;
        for (long[] failure : failures) {
            if (failure[0] > windowCutoff) {
                windowCount += failure[1];
                oldestInWindow = oldestInWindow == null ? failure[0] : oldestInWindow;
            }
        }
        if (windowCount >= policy.windowFailures()) {
            return AttemptDecision.refuse(Duration.ofMillis(oldestInWindow + policy.window().toMillis() - now));
        }

        long globalWindow = policy.globalWindow().toMillis();
        try (PreparedStatement statement = tx.prepareStatement(sumTenantFailures)) {
            statement.setString(1, tenant);
            statement.setLong(2, now - globalWindow);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                long charged = row.getLong(1);
                long oldest = row.getLong(2);
                if (charged >= policy.globalFailures()) {
                    return AttemptDecision.refuse(Duration.ofMillis(oldest + globalWindow - now));
                }
            }
        }

        charge(tx, tenant, key, now);
        state.lastActivity = Math.max(state.lastActivity, now);
        writeKey(tx, tenant, key, state);
        if (!failures.isEmpty() || state.existed) {
            try (PreparedStatement statement = tx.prepareStatement(pruneKeyFailures)) {
                statement.setString(1, tenant);
                statement.setString(2, key);
                statement.setLong(3, now - retentionMillis);
                statement.executeUpdate();
            }
        }
        return AttemptDecision.allow();
    }

    private Void refund(Connection tx, String tenant, String key) throws SQLException {
        long newest;
        try (PreparedStatement statement = tx.prepareStatement(selectNewestKeyFailure)) {
            statement.setString(1, tenant);
            statement.setString(2, key);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                newest = row.getLong(1);
                if (row.wasNull()) {
                    return null;
                }
            }
        }
        for (String sql : new String[] {refundFailure, deleteEmptyFailure}) {
            try (PreparedStatement statement = tx.prepareStatement(sql)) {
                statement.setString(1, tenant);
                statement.setString(2, key);
                statement.setLong(3, newest);
                statement.executeUpdate();
            }
        }
        return null;
    }

    private void charge(Connection tx, String tenant, String key, long now) throws SQLException {
        int updated;
        try (PreparedStatement statement = tx.prepareStatement(chargeFailure)) {
            statement.setString(1, tenant);
            statement.setString(2, key);
            statement.setLong(3, now);
            updated = statement.executeUpdate();
        }
        if (updated == 0) {
            try (PreparedStatement statement = tx.prepareStatement(insertFailure)) {
                statement.setString(1, tenant);
                statement.setString(2, key);
                statement.setLong(3, now);
                statement.executeUpdate();
            }
        }
    }

    private long lockoutAfter(int earlierLockouts) {
        long lockout = policy.initialLockout().toMillis();
        long max = policy.maxLockout().toMillis();
        for (int i = 0; i < earlierLockouts && lockout < max; i++) {
            lockout *= 2;
        }
        return Math.min(lockout, max);
    }

    /** A key's lockout state; a key quiet for {@link #keyMemoryMillis} reads as new. */
    private static final class KeyState {
        boolean existed;
        Long lockedUntil;
        Long burstFloor;
        int lockouts;
        long lastActivity = Long.MIN_VALUE;
    }

    private KeyState readKey(Connection tx, String tenant, String key, long now) throws SQLException {
        KeyState state = new KeyState();
        try (PreparedStatement statement = tx.prepareStatement(selectKey)) {
            statement.setString(1, tenant);
            statement.setString(2, key);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return state;
                }
                state.existed = true;
                long lastActivity = row.getLong(4);
                if (now >= lastActivity + keyMemoryMillis) {
                    return state;
                }
                long lockedUntil = row.getLong(1);
                state.lockedUntil = row.wasNull() ? null : lockedUntil;
                long burstFloor = row.getLong(2);
                state.burstFloor = row.wasNull() ? null : burstFloor;
                state.lockouts = row.getInt(3);
                state.lastActivity = lastActivity;
            }
        }
        return state;
    }

    private void writeKey(Connection tx, String tenant, String key, KeyState state) throws SQLException {
        try (PreparedStatement statement = tx.prepareStatement(state.existed ? updateKey : insertKey)) {
            setLong(statement, 1, state.lockedUntil);
            setLong(statement, 2, state.burstFloor);
            statement.setInt(3, state.lockouts);
            statement.setLong(4, state.lastActivity);
            statement.setString(5, tenant);
            statement.setString(6, key);
            statement.executeUpdate();
        }
        state.existed = true;
    }

    /** {@code [failed_at, charges]} of the key's failures after {@code cutoff}, oldest first. */
    private List<long[]> keyFailures(Connection tx, String tenant, String key, long cutoff) throws SQLException {
        List<long[]> failures = new ArrayList<>();
        try (PreparedStatement statement = tx.prepareStatement(selectKeyFailures)) {
            statement.setString(1, tenant);
            statement.setString(2, key);
            statement.setLong(3, cutoff);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    failures.add(new long[] {rows.getLong(1), rows.getLong(2)});
                }
            }
        }
        return failures;
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    /** The key as stored: itself, or {@code sha256:} and its base64url hash when too long for the column. */
    static String storedKey(String key) {
        if (key.length() <= MAX_ATTEMPT_KEY_LENGTH) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JRE", e);
        }
    }

    static List<String> schemaStatements(Dialect dialect, String prefix) {
        return JdbcOperations.scriptStatements("attempt-" + dialect.schemaResource(),
                Map.of(DEFAULT_TABLE_PREFIX, prefix));
    }

    private Dialect dialect() {
        Dialect current = dialect;
        if (current == null) {
            current = operations.run("detect the database dialect", c -> Dialect.detect(c.getMetaData()));
            dialect = current;
        }
        return current;
    }

    /**
     * Configures a {@link JdbcAttemptLimiter}. Each setting may be set once; {@link #build()}
     * checks them. Not thread-safe.
     */
    public static final class Builder {
        private JdbcConnection connection;
        private AttemptPolicy policy = AttemptPolicy.defaults();
        private boolean policySet;

        private Builder() {
        }

        /**
         * The data source, dialect and table prefix, shared with the store; required. The
         * limiter's tables are {@code <tablePrefix>_attempt_tenant}, {@code _attempt_key} and
         * {@code _attempt_failure}.
         *
         * @throws IllegalStateException set twice
         */
        public Builder connection(JdbcConnection connection) {
            if (this.connection != null) {
                throw new IllegalStateException("connection was already set");
            }
            this.connection = Objects.requireNonNull(connection, "connection");
            return this;
        }

        /**
         * The budgets; default {@link AttemptPolicy#defaults()}.
         *
         * @throws IllegalStateException set twice
         */
        public Builder policy(AttemptPolicy policy) {
            if (policySet) {
                throw new IllegalStateException("policy was already set");
            }
            this.policy = Objects.requireNonNull(policy, "policy");
            policySet = true;
            return this;
        }

        /**
         * The limiter. Opens no connection.
         *
         * @throws IllegalStateException a setting is missing or out of its range; the message
         *                               names it
         */
        public JdbcAttemptLimiter build() {
            if (connection == null) {
                throw new IllegalStateException("connection is required");
            }
            return new JdbcAttemptLimiter(this);
        }
    }
}
