package org.devicegrant.storage.redis;

import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.RefreshTokenMatch;
import org.devicegrant.storage.StoreUnavailableException;

/**
 * A {@link GrantStore} in Redis (standalone, Sentinel or Cluster) through Lettuce, next to the
 * {@link RedisDeviceAuthorizationStore} on the same {@link RedisConnection}.
 *
 * <p><b>Layout.</b> A grant is a Redis hash holding its JSON (format version 1, as
 * {@link GrantCodec} writes it) and the few fields the scripts compare, among them its current
 * refresh-token hash. One string key per refresh-token hash the grant ever held points to the
 * grant id, and a set per grant lists those hashes; the hash is current when it equals the
 * grant's. Retired hashes stay indexed because RFC 9700 §4.14.2 rotation with reuse detection
 * needs a retired refresh token, presented again, to be recognised as one of this grant. A sorted set per subject holds the subject's active grants by {@code lastUsedAt}
 * ({@link #listActive}), and one per tenant every grant by the instant it may be purged
 * ({@link #deleteExpired}). Every key of a tenant carries the hash tag {@code {tenant}}, so each
 * atomic step is one Lua script on one Cluster slot.
 *
 * <p><b>Round trips.</b> {@link #create}, {@link #replace}, {@link #findByRefreshTokenHash} and
 * {@link #listActive} are one script call each, {@link #findById} one {@code HGET}. A script's
 * first call on a node costs one more ({@code NOSCRIPT}, then {@code EVAL}). {@link #replace}
 * renews the TTL of the index entry of every hash the grant ever held, so its work grows with
 * the number of rotations of the grant (a few microseconds each on the server).
 *
 * <p><b>Expiry.</b> Every key of a grant gets a native TTL of
 * {@code expiresAt + retention - now}, set at {@link #create} and renewed at every
 * {@link #replace}, with {@code now} read from the injected clock (not the Redis clock, so that
 * a test clock works and node clock skew does not change a lifetime). Revoked grants are kept as
 * long, so that a retired or current refresh token of a revoked grant is still recognised as
 * such until then. With native expiry {@link #deleteExpired} is housekeeping for deployments that
 * want lapsed and revoked grants gone before their retention ends.
 *
 * <p><b>Faults.</b> Every Lettuce failure becomes a {@link StoreUnavailableException} whose
 * message names the operation, never a hash or a value. A timed-out script may still have run
 * on the server: the grant is then either unchanged or the new value. Configure the connection
 * to fail fast (see {@link RedisConnection}). Redis replicates asynchronously: a replace
 * acknowledged by a primary that fails before its replica received it is lost, so after a
 * failover a rotated refresh token may work once more.
 *
 * <p>Thread-safe: one instance serves all threads over one (multiplexed) Lettuce connection;
 * any number of instances on any number of nodes may share one Redis.
 */
public final class RedisGrantStore implements GrantStore {

    /** How long a grant stays after {@code expiresAt} when nothing else is configured. */
    static final Duration DEFAULT_RETENTION = Duration.ofDays(1);

    private static final LuaScript CREATE = LuaScript.load("grant-create");
    private static final LuaScript REPLACE = LuaScript.load("grant-replace");
    private static final LuaScript FIND_BY_REFRESH_TOKEN = LuaScript.load("grant-find-refresh");
    private static final LuaScript LIST = LuaScript.load("grant-list");
    private static final LuaScript PURGE = LuaScript.load("grant-purge");

    private static final Comparator<Grant> MOST_RECENTLY_USED_FIRST =
            Comparator.comparing(Grant::lastUsedAt).reversed().thenComparing(Grant::id);

    private final RedisGateway redis;
    private final KeySchema keys;
    private final Clock clock;
    private final Duration retention;

    private RedisGrantStore(Builder builder) {
        this.redis = builder.connection.gateway();
        this.keys = builder.connection.keys();
        this.clock = builder.clock;
        this.retention = builder.retention;
    }

    /** A builder with no connection and no clock set and a retention of 1 day. */
    public static Builder builder() {
        return new Builder();
    }

    /** How long grants stay after their {@code expiresAt}. */
    Duration retention() {
        return retention;
    }

    /** {@inheritDoc} One script call: the duplicate checks and all writes happen atomically. */
    @Override
    public void create(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        Instant now = clock.instant();
        String tenant = grant.tenant();
        Long outcome = redis.eval("createGrant", CREATE, ScriptOutputType.INTEGER,
                new String[] {
                    keys.grant(tenant, grant.id()),
                    keys.grantRefreshTokens(tenant, grant.id()),
                    keys.grantsOfSubject(tenant, grant.subject()),
                    keys.grantExpiry(tenant)},
                Long.toString(now.toEpochMilli()),
                Long.toString(ttlMillis(grant, now)),
                KeySchema.escape(grant.id()),
                GrantCodec.write(grant),
                Long.toString(grant.version()),
                grant.status().name(),
                grant.clientId(),
                grant.subject(),
                KeySchema.escape(grant.subject()),
                escapedHash(grant),
                Long.toString(grant.lastUsedAt().toEpochMilli()),
                Long.toString(purgeFrom(grant).toEpochMilli()),
                keys.tenantBase(tenant),
                Long.toString(retention.toMillis()));
        switch (outcome.intValue()) {
            case 0 -> { }
            case 1 -> throw new IllegalArgumentException("a grant with this id already exists");
            case 2 -> throw new IllegalArgumentException("a grant holding this refresh-token hash already exists");
            default -> throw new StoreUnavailableException("Redis createGrant returned an unknown outcome " + outcome);
        }
    }

    /** {@inheritDoc} One {@code HGET}. */
    @Override
    public Optional<Grant> findById(String tenant, String grantId) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(grantId, "grantId");
        String json = redis.hget("findGrantById", keys.grant(tenant, grantId), "j");
        return Optional.ofNullable(json).map(GrantCodec::read);
    }

    /** {@inheritDoc} One script call (index, then grant, in the tenant's slot). */
    @Override
    public Optional<RefreshTokenMatch> findByRefreshTokenHash(String tenant, String refreshTokenHash) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(refreshTokenHash, "refreshTokenHash");
        Object reply = redis.eval("findByRefreshTokenHash", FIND_BY_REFRESH_TOKEN, ScriptOutputType.MULTI,
                new String[] {keys.refreshTokenIndex(tenant, refreshTokenHash)},
                keys.tenantBase(tenant),
                KeySchema.escape(refreshTokenHash));
        List<Object> match = reply == null ? List.of() : RedisGateway.list(reply);
        if (match.isEmpty() || match.get(0) == null) {
            return Optional.empty();
        }
        Grant grant = GrantCodec.read((String) match.get(0));
        return Optional.of(new RefreshTokenMatch(grant, ((Long) match.get(1)) == 1L));
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script call. The new TTL of every key of the grant is
     * {@code next.expiresAt() + retention - now}. A grant that becomes revoked leaves its
     * subject's set in the same step.
     */
    @Override
    public boolean replace(long expectedVersion, Grant next) {
        Objects.requireNonNull(next, "next");
        if (next.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("next.version() must be expectedVersion + 1");
        }
        Instant now = clock.instant();
        String tenant = next.tenant();
        Long outcome = redis.eval("replaceGrant", REPLACE, ScriptOutputType.INTEGER,
                new String[] {
                    keys.grant(tenant, next.id()),
                    keys.grantRefreshTokens(tenant, next.id()),
                    keys.grantsOfSubject(tenant, next.subject()),
                    keys.grantExpiry(tenant)},
                Long.toString(expectedVersion),
                Long.toString(next.version()),
                GrantCodec.write(next),
                next.status().name(),
                KeySchema.escape(next.id()),
                next.clientId(),
                next.subject(),
                escapedHash(next),
                Long.toString(next.lastUsedAt().toEpochMilli()),
                Long.toString(purgeFrom(next).toEpochMilli()),
                Long.toString(ttlMillis(next, now)),
                keys.tenantBase(tenant));
        return switch (outcome.intValue()) {
            case 1 -> true;
            case 0 -> false;
            case -1 -> throw new IllegalArgumentException("next must keep the stored grant's client and subject");
            case -2 -> throw new IllegalArgumentException("the new refresh-token hash is held by another grant");
            default -> throw new StoreUnavailableException("Redis replaceGrant returned an unknown outcome " + outcome);
        };
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script call that reads the subject's set and every grant in it, and drops members
     * whose grant is gone; lapsed grants are filtered here against {@code now}.
     */
    @Override
    public List<Grant> listActive(String tenant, String subject, Instant now) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(now, "now");
        List<Object> reply = RedisGateway.list(redis.eval("listActiveGrants", LIST, ScriptOutputType.MULTI,
                new String[] {keys.grantsOfSubject(tenant, subject)},
                keys.grantPrefix(tenant)));
        List<Grant> active = new ArrayList<>();
        for (Object json : reply) {
            Grant grant = GrantCodec.read((String) json);
            if (grant.isActive(now)) {
                active.add(grant);
            }
        }
        active.sort(MOST_RECENTLY_USED_FIRST);
        return active;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Native TTLs remove grants {@code retention} after their expiry anyway; this removes
     * lapsed and revoked ones earlier. It scans for the per-tenant grant expiry sets under the key
     * prefix (SCAN, 500 keys a step, on every node of a cluster), and per tenant runs one script
     * that deletes up to the remaining count of grants whose {@code expiresAt} (or, if revoked,
     * {@code revokedAt}, whichever is earlier) is before {@code before}, with their refresh-token
     * index entries and set memberships. Entries whose grant is already gone by TTL are dropped
     * without being counted.
     */
    @Override
    public int deleteExpired(Instant before, int maxCount) {
        Objects.requireNonNull(before, "before");
        if (maxCount <= 0) {
            throw new IllegalArgumentException("maxCount must be positive, was " + maxCount);
        }
        AtomicInteger deleted = new AtomicInteger();
        String cutoff = Long.toString(before.toEpochMilli());
        redis.scan("deleteExpiredGrants", keys.grantExpiryPattern(), () -> deleted.get() < maxCount, expiryKey -> {
            String tenantBase = expiryKey.substring(0, expiryKey.length() - "gx".length());
            while (deleted.get() < maxCount) {
                int limit = maxCount - deleted.get();
                List<Object> reply = RedisGateway.list(redis.eval("deleteExpiredGrants", PURGE,
                        ScriptOutputType.MULTI, new String[] {expiryKey},
                        cutoff, Integer.toString(limit), tenantBase));
                deleted.addAndGet(((Long) reply.get(0)).intValue());
                if (((Long) reply.get(1)).intValue() < limit) {
                    return;
                }
            }
        });
        return deleted.get();
    }

    private long ttlMillis(Grant grant, Instant now) {
        return Math.max(1, grant.expiresAt().toEpochMilli() + retention.toMillis() - now.toEpochMilli());
    }

    /** When the grant may be purged: when it lapses, or when it was revoked if that is earlier. */
    private static Instant purgeFrom(Grant grant) {
        Instant revokedAt = grant.revokedAt();
        return grant.status() == GrantStatus.REVOKED && revokedAt != null && revokedAt.isBefore(grant.expiresAt())
                ? revokedAt
                : grant.expiresAt();
    }

    private static String escapedHash(Grant grant) {
        return grant.refreshTokenHash() == null ? "" : KeySchema.escape(grant.refreshTokenHash());
    }

    /**
     * Configures a {@link RedisGrantStore}. The connection and the clock are required; every
     * setting may be assigned once. Not thread-safe.
     */
    public static final class Builder {
        private RedisConnection connection;
        private Clock clock;
        private Duration retention = DEFAULT_RETENTION;
        private boolean retentionSet;

        private Builder() {
        }

        /**
         * The connection and key prefix, shared with the device authorization store; required.
         *
         * @throws IllegalStateException already set
         */
        public Builder connection(RedisConnection connection) {
            if (this.connection != null) {
                throw new IllegalStateException("connection was already set");
            }
            this.connection = Objects.requireNonNull(connection, "connection");
            return this;
        }

        /**
         * The clock the TTLs are computed from (the one the {@code DeviceGrant} uses); required.
         *
         * @throws IllegalStateException already set
         */
        public Builder clock(Clock clock) {
            if (this.clock != null) {
                throw new IllegalStateException("clock was already set");
            }
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long a grant, lapsed or revoked, stays findable (with all its refresh-token hashes)
         * after its {@code expiresAt}, default 1 day: from 1 second to 365 days, checked at
         * {@link #build()}.
         *
         * @throws IllegalStateException already set
         */
        public Builder retention(Duration retention) {
            if (retentionSet) {
                throw new IllegalStateException("retention was already set");
            }
            this.retention = retention;
            this.retentionSet = true;
            return this;
        }

        /**
         * The store.
         *
         * @throws IllegalStateException    no connection or no clock was set
         * @throws IllegalArgumentException a setting is out of its range; the message names it
         */
        public RedisGrantStore build() {
            if (connection == null) {
                throw new IllegalStateException("connection is required");
            }
            if (clock == null) {
                throw new IllegalStateException("clock is required");
            }
            if (retention == null || retention.compareTo(Duration.ofSeconds(1)) < 0
                    || retention.compareTo(Duration.ofDays(365)) > 0) {
                throw new IllegalArgumentException("retention must be from 1 second to 365 days, was " + retention);
            }
            return new RedisGrantStore(this);
        }
    }
}
