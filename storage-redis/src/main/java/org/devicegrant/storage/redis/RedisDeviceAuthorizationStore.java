package org.devicegrant.storage.redis;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.PendingLimitExceededException;
import org.devicegrant.storage.AuthorizationStatus;
import org.devicegrant.storage.StoreUnavailableException;
import org.devicegrant.storage.UserCodeCollisionException;

/**
 * A {@link DeviceAuthorizationStore} in Redis (standalone, Sentinel or Cluster) through Lettuce.
 *
 * <p><b>Layout.</b> A record is a Redis hash holding its JSON (format version 1, see the module
 * documentation) and the few fields the scripts compare; two string keys index it by device-code
 * hash and by user-code hash; sorted sets per tenant hold the pending ids (for
 * {@link #countPending}) and every id by expiry (for {@link #deleteExpired}). Every key of a
 * tenant carries the hash tag {@code {tenant}}, so each atomic step is one Lua script on one
 * Cluster slot. Trade-off: a tenant lives on one shard; tenants, not records, spread a cluster.
 *
 * <p><b>Round trips.</b> {@link #create} is one script call. {@link #findByDeviceCodeHash} and
 * {@link #findByUserCodeHash} are one script call each (index, then record, in the same slot;
 * the record key is derived inside the script, which Redis Cluster allows because it shares the
 * slot of the declared index key). {@link #findById} is one {@code HGET}, {@link #replace} one
 * script call, so a poll (find, then compare-and-set) is two round trips. A script's first call
 * on a node costs one more ({@code NOSCRIPT}, then {@code EVAL}).
 *
 * <p><b>Expiry.</b> Every key of a record gets a native TTL of
 * {@code expiresAt + tombstoneRetention - now}, with {@code now} the caller's clock reading at
 * {@link #create} (not the Redis clock, so that a test clock works and node clock skew does not
 * change a lifetime). Until the TTL runs out the record stays findable, so a late poll still
 * learns {@code expired_token} (RFC 8628 §3.5). {@link #replace} keeps the TTL. With native
 * expiry {@link #deleteExpired} is housekeeping for deployments that want tombstones gone
 * before their retention ends.
 *
 * <p><b>Faults.</b> Every Lettuce failure becomes a {@link StoreUnavailableException} whose
 * message names the operation, never a hash or a value. A timed-out script may still have run
 * on the server: for {@link #replace} the record is then either unchanged or the new value (as
 * the SPI allows); for {@link #create} it may exist although the call failed, and it then
 * counts as pending until it expires. Configure the connection to fail fast (see
 * {@link RedisConnection}).
 *
 * <p><b>Replication.</b> Redis replicates asynchronously: a compare-and-set acknowledged by a
 * primary that fails before its replica received it is lost, and a promoted replica may let a
 * second poll consume the same approval, so that it yields tokens twice. By default that risk
 * is accepted and documented here. {@link Builder#replicaAcknowledgements} closes most of it on
 * standalone and Sentinel deployments: every successful {@link #replace} is followed by
 * {@code WAIT}, one more round trip, and fails closed with {@link StoreUnavailableException}
 * when too few replicas acknowledged in time (the record is then the new value on the primary,
 * as the SPI allows; an APPROVED record that became CONSUMED this way issues no tokens, and the
 * device gets {@code invalid_grant}). {@code WAIT} blocks the connection it runs on, so give the
 * store its own connection when this is on.
 *
 * <p>Thread-safe: one instance serves all threads over one (multiplexed) Lettuce connection;
 * any number of instances on any number of nodes may share one Redis.
 */
public final class RedisDeviceAuthorizationStore implements DeviceAuthorizationStore {

    /** How long a record stays findable after {@code expiresAt} when nothing else is configured. */
    static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofMinutes(10);

    private static final LuaScript CREATE = LuaScript.load("create");
    private static final LuaScript REPLACE = LuaScript.load("replace");
    private static final LuaScript FIND = LuaScript.load("find");
    private static final LuaScript PURGE = LuaScript.load("purge");

    private final RedisGateway redis;
    private final KeySchema keys;
    private final Duration tombstoneRetention;
    private final int replicaAcknowledgements;
    private final Duration replicaTimeout;

    private RedisDeviceAuthorizationStore(Builder builder) {
        this.redis = builder.connection.gateway();
        this.keys = builder.connection.keys();
        this.tombstoneRetention = builder.tombstoneRetention;
        this.replicaAcknowledgements = builder.replicaAcknowledgements;
        this.replicaTimeout = builder.replicaTimeout;
    }

    /** A builder with no connection set and a 10 min retention. */
    public static Builder builder() {
        return new Builder();
    }

    /** How long records stay findable after their {@code expiresAt}. */
    Duration tombstoneRetention() {
        return tombstoneRetention;
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script call: the duplicate checks, the user-code check against {@code now}, the
     * pending cap and all writes happen atomically on the tenant's slot. The cap is exact under
     * any concurrency, across connections and nodes: the script drops the entries of the
     * tenant's pending set that are expired at {@code now} and compares what is left, the
     * records {@link #countPending(String, Instant)} counts, with the cap before it writes.
     */
    @Override
    public void create(DeviceAuthorization authorization, Instant now, long maxPendingInTenant)
            throws UserCodeCollisionException, PendingLimitExceededException {
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(now, "now");
        if (maxPendingInTenant < 1) {
            throw new IllegalArgumentException("maxPendingInTenant must be at least 1, was " + maxPendingInTenant);
        }
        String tenant = authorization.tenant();
        long ttl = Math.max(1, authorization.expiresAt().toEpochMilli() + tombstoneRetention.toMillis()
                - now.toEpochMilli());
        Long outcome = redis.eval("create", CREATE, ScriptOutputType.INTEGER,
                new String[] {
                    keys.record(tenant, authorization.id()),
                    keys.deviceCodeIndex(tenant, authorization.deviceCodeHash()),
                    keys.userCodeIndex(tenant, authorization.userCodeHash()),
                    keys.pending(tenant),
                    keys.pendingOfClient(tenant, authorization.clientId()),
                    keys.expiry(tenant)},
                Long.toString(now.toEpochMilli()),
                Long.toString(ttl),
                KeySchema.escape(authorization.id()),
                RecordCodec.write(authorization),
                Long.toString(authorization.version()),
                Long.toString(authorization.expiresAt().toEpochMilli()),
                authorization.status().name(),
                KeySchema.escape(authorization.clientId()),
                KeySchema.escape(authorization.deviceCodeHash()),
                KeySchema.escape(authorization.userCodeHash()),
                Long.toString(authorization.createdAt().toEpochMilli()),
                Long.toString(maxPendingInTenant),
                keys.recordPrefix(tenant),
                Long.toString(tombstoneRetention.toMillis()));
        switch (outcome.intValue()) {
            case 0 -> { }
            case 1 -> throw new UserCodeCollisionException(tenant);
            case 2 -> throw new IllegalArgumentException("a device authorization with this id already exists");
            case 3 -> throw new IllegalArgumentException(
                    "a device authorization with this device-code hash already exists");
            case 4 -> throw new PendingLimitExceededException(tenant, maxPendingInTenant);
            default -> throw new StoreUnavailableException("Redis create returned an unknown outcome " + outcome);
        }
    }

    /** {@inheritDoc} One script call. */
    @Override
    public Optional<DeviceAuthorization> findByDeviceCodeHash(String tenant, String deviceCodeHash) {
        return findThroughIndex("findByDeviceCodeHash", tenant, keys.deviceCodeIndex(tenant, deviceCodeHash));
    }

    /** {@inheritDoc} One script call. */
    @Override
    public Optional<DeviceAuthorization> findByUserCodeHash(String tenant, String userCodeHash) {
        return findThroughIndex("findByUserCodeHash", tenant, keys.userCodeIndex(tenant, userCodeHash));
    }

    /** {@inheritDoc} One {@code HGET}. */
    @Override
    public Optional<DeviceAuthorization> findById(String tenant, String id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        String json = redis.hget("findById", keys.record(tenant, id), "j");
        return Optional.ofNullable(json).map(RecordCodec::read);
    }

    private Optional<DeviceAuthorization> findThroughIndex(String operation, String tenant, String indexKey) {
        String json = redis.eval(operation, FIND, ScriptOutputType.VALUE, new String[] {indexKey},
                keys.recordPrefix(tenant));
        return Optional.ofNullable(json).map(RecordCodec::read);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script call; the record keeps its TTL. When the status leaves
     * {@link AuthorizationStatus#PENDING} the record leaves the pending sets in the same step. With
     * {@link Builder#replicaAcknowledgements} a successful replace is followed by {@code WAIT}.
     *
     * @throws IllegalArgumentException  also when {@code next} changes the stored record's
     *                                   hashes, client id, creation time or expiry
     * @throws StoreUnavailableException also when replica acknowledgements are required and too
     *                                   few arrived in time; {@code next} is then stored on the
     *                                   primary
     */
    @Override
    public boolean replace(long expectedVersion, DeviceAuthorization next) {
        Objects.requireNonNull(next, "next");
        if (next.version() <= expectedVersion) {
            throw new IllegalArgumentException("next.version() must be greater than expectedVersion");
        }
        String tenant = next.tenant();
        Long outcome = redis.eval("replace", REPLACE, ScriptOutputType.INTEGER,
                new String[] {
                    keys.record(tenant, next.id()),
                    keys.pending(tenant),
                    keys.pendingOfClient(tenant, next.clientId())},
                Long.toString(expectedVersion),
                Long.toString(next.version()),
                RecordCodec.write(next),
                next.status().name(),
                KeySchema.escape(next.id()),
                KeySchema.escape(next.deviceCodeHash()),
                KeySchema.escape(next.userCodeHash()),
                KeySchema.escape(next.clientId()),
                Long.toString(next.expiresAt().toEpochMilli()),
                Long.toString(next.createdAt().toEpochMilli()));
        if (outcome == -1) {
            throw new IllegalArgumentException(
                    "next must keep the stored record's hashes, client id, creation time and expiry");
        }
        if (outcome == 1 && replicaAcknowledgements > 0) {
            long acknowledged = redis.waitForReplicas("replace", replicaAcknowledgements, replicaTimeout.toMillis());
            if (acknowledged < replicaAcknowledgements) {
                throw new StoreUnavailableException("Redis replace was acknowledged by " + acknowledged + " of "
                        + replicaAcknowledgements + " required replicas in time");
            }
        }
        return outcome == 1;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Native TTLs remove records {@code tombstoneRetention} after their expiry anyway; this
     * removes them earlier. It scans for the per-tenant expiry sets under the key prefix (SCAN,
     * 500 keys a step, on every node of a cluster), and per tenant runs one script that deletes
     * up to the remaining count of records expiring before {@code expiredBefore}, with their
     * index entries (those still pointing at them) and set memberships. Entries whose record is
     * already gone by TTL are dropped without being counted. Each script call is bounded by
     * {@code maxCount}; the SCAN walks the whole keyspace at most once per call.
     */
    @Override
    public int deleteExpired(Instant expiredBefore, int maxCount) {
        Objects.requireNonNull(expiredBefore, "expiredBefore");
        if (maxCount <= 0) {
            throw new IllegalArgumentException("maxCount must be positive, was " + maxCount);
        }
        AtomicInteger deleted = new AtomicInteger();
        String cutoff = Long.toString(expiredBefore.toEpochMilli());
        redis.scan("deleteExpired", keys.expiryPattern(), () -> deleted.get() < maxCount, expiryKey -> {
            String tenantBase = expiryKey.substring(0, expiryKey.length() - 1);
            while (deleted.get() < maxCount) {
                int limit = maxCount - deleted.get();
                List<Object> reply = RedisGateway.list(redis.eval("deleteExpired", PURGE,
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

    /** {@inheritDoc} One {@code ZCOUNT} on the tenant's pending set. */
    @Override
    public long countPending(String tenant, Instant now) {
        Objects.requireNonNull(tenant, "tenant");
        return redis.countAbove("countPending", keys.pending(tenant), now.toEpochMilli());
    }

    /** {@inheritDoc} One {@code ZCOUNT} on the pending set of the tenant's client. */
    @Override
    public long countPending(String tenant, String clientId, Instant now) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(clientId, "clientId");
        return redis.countAbove("countPending", keys.pendingOfClient(tenant, clientId), now.toEpochMilli());
    }

    /**
     * Configures a {@link RedisDeviceAuthorizationStore}. The connection is required; every
     * setting may be assigned once. Not thread-safe.
     */
    public static final class Builder {
        private RedisConnection connection;
        private Duration tombstoneRetention = DEFAULT_TOMBSTONE_RETENTION;
        private boolean tombstoneRetentionSet;
        private int replicaAcknowledgements;
        private Duration replicaTimeout;
        private boolean replicaAcknowledgementsSet;

        private Builder() {
        }

        /**
         * The connection and key prefix, shared with the attempt limiter; required.
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
         * How long a record stays findable after its {@code expiresAt}, default 10 minutes:
         * from 1 second to 30 days, checked at {@link #build()}.
         *
         * @throws IllegalStateException already set
         */
        public Builder tombstoneRetention(Duration tombstoneRetention) {
            if (tombstoneRetentionSet) {
                throw new IllegalStateException("tombstoneRetention was already set");
            }
            this.tombstoneRetention = tombstoneRetention;
            this.tombstoneRetentionSet = true;
            return this;
        }

        /**
         * Makes every successful {@link #replace} wait until {@code replicas} replicas have
         * acknowledged it ({@code WAIT}), for at most {@code timeout}, and fail closed otherwise
         * (so that a failover cannot let one approval yield tokens twice). Off by default.
         * {@code replicas} from 1 to 16 and {@code timeout} from 1 ms to 10 s, checked at
         * {@link #build()}; standalone and Sentinel connections only, since on a Cluster
         * connection {@code WAIT} would reach an arbitrary node.
         *
         * @throws IllegalStateException already set
         */
        public Builder replicaAcknowledgements(int replicas, Duration timeout) {
            if (replicaAcknowledgementsSet) {
                throw new IllegalStateException("replicaAcknowledgements was already set");
            }
            this.replicaAcknowledgements = replicas;
            this.replicaTimeout = timeout;
            this.replicaAcknowledgementsSet = true;
            return this;
        }

        /**
         * The store.
         *
         * @throws IllegalStateException    no connection was set
         * @throws IllegalArgumentException a setting is out of its range; the message names it
         */
        public RedisDeviceAuthorizationStore build() {
            if (connection == null) {
                throw new IllegalStateException("connection is required");
            }
            if (tombstoneRetention == null || tombstoneRetention.compareTo(Duration.ofSeconds(1)) < 0
                    || tombstoneRetention.compareTo(Duration.ofDays(30)) > 0) {
                throw new IllegalArgumentException(
                        "tombstoneRetention must be from 1 second to 30 days, was " + tombstoneRetention);
            }
            if (replicaAcknowledgementsSet) {
                if (replicaAcknowledgements < 1 || replicaAcknowledgements > 16) {
                    throw new IllegalArgumentException(
                            "replicaAcknowledgements replicas must be from 1 to 16, was " + replicaAcknowledgements);
                }
                if (replicaTimeout == null || replicaTimeout.compareTo(Duration.ofMillis(1)) < 0
                        || replicaTimeout.compareTo(Duration.ofSeconds(10)) > 0) {
                    throw new IllegalArgumentException(
                            "replicaAcknowledgements timeout must be from 1 ms to 10 s, was " + replicaTimeout);
                }
                if (connection.gateway().isCluster()) {
                    throw new IllegalArgumentException("replicaAcknowledgements needs a standalone or Sentinel"
                            + " connection, not a Cluster connection");
                }
            }
            return new RedisDeviceAuthorizationStore(this);
        }
    }
}
