package org.devicegrant.storage.inmemory;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Consumer;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.PendingLimitExceededException;
import org.devicegrant.storage.AuthorizationStatus;
import org.devicegrant.storage.UserCodeCollisionException;

/**
 * The embedded {@link DeviceAuthorizationStore}: records live in this JVM's heap, indexed by
 * device-code hash, user-code hash and id per tenant, and are lost on restart. It passes the
 * whole storage TCK.
 *
 * <p><b>Concurrency.</b> Thread-safe without a global lock. Lookups are single
 * {@link ConcurrentHashMap} reads. {@code create} checks and takes the user code in one atomic
 * {@code compute} on the tenant's user-code index; {@code replace} is a compare-and-set on the
 * record's own cell. A create that fails on a duplicate id or device-code hash may, while it
 * runs, make a concurrent create of the same id fail too; ids and device codes are random, so
 * this only matters to callers that reuse them, which is a bug of theirs anyway.
 *
 * <p><b>Expiry.</b> No background thread. Expired records stay findable (RFC 8628 §3.5
 * {@code expired_token}) for {@link Builder#tombstoneRetention(Duration) tombstoneRetention}
 * after their {@code expiresAt} (default 10 minutes); each {@code create} then deletes up to
 * {@value #PURGE_PER_CREATE} records past their retention, oldest first, and
 * {@link #deleteExpired} deletes on demand. {@code countPending} reads counters; expired pending
 * records leave them as {@code countPending} and {@code create} trim the head of the tenant's
 * pending set, which is ordered by expiry.
 *
 * <p><b>Pending cap.</b> Exact under any concurrency: {@code create} reserves a place in the
 * tenant's pending counter by compare-and-set against the cap it is given before it inserts the
 * record, and gives the place back if the insert fails, so concurrent creates never leave the
 * tenant more pending, unexpired records than the cap (the storage TCK's race of 64 creates
 * under a cap of 10 shows it).
 *
 * <p><b>Memory.</b> Measured at about <b>810 bytes per pending record</b>, the record itself
 * included (755 bytes under the Serial collector): 100,000 PENDING records with 43-character
 * base64url hashes, three scopes and two metadata entries, every string a distinct object as if
 * freshly parsed from a request; heap used after {@code System.gc()}, read through
 * {@code MemoryMXBean}, before and after the creates, divided by the count (OpenJDK 17.0.15,
 * 64-bit, compressed oops, G1, {@code -Xmx1g}; {@code MemoryFootprint} in this module's tests).
 * About 265 bytes of it are the indexes and 545 the record. The store shares repeating values
 * (tenant, client id, scopes, metadata keys, intervals) between records: such a record with its
 * own fresh copies of them takes about 950 bytes on its own.
 */
public final class InMemoryDeviceAuthorizationStore implements DeviceAuthorizationStore {

    /** How many records past their retention each {@code create} deletes at most. */
    static final int PURGE_PER_CREATE = 2;

    private final Duration tombstoneRetention;
    private final ConcurrentHashMap<String, TenantIndex> tenants = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<Slot> byExpiry = new ConcurrentSkipListSet<>(Slot.BY_EXPIRY);
    private final Vocabulary vocabulary = new Vocabulary();

    private InMemoryDeviceAuthorizationStore(Builder builder) {
        this.tombstoneRetention = builder.tombstoneRetention;
    }

    /** A store with a 10-minute tombstone retention. */
    public static InMemoryDeviceAuthorizationStore create() {
        return builder().build();
    }

    /** A builder; every setting is optional and may be set once. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Also deletes up to {@value #PURGE_PER_CREATE} records whose {@code expiresAt} plus the
     * tombstone retention is before {@code now}.
     *
     * @throws NullPointerException an argument is null
     */
    @Override
    public void create(DeviceAuthorization authorization, Instant now, long maxPendingInTenant)
            throws UserCodeCollisionException, PendingLimitExceededException {
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(now, "now");
        if (maxPendingInTenant < 1) {
            throw new IllegalArgumentException("maxPendingInTenant must be at least 1, was " + maxPendingInTenant);
        }
        DeviceAuthorization stored = vocabulary.canonical(authorization);
        purge(now.minus(tombstoneRetention), PURGE_PER_CREATE);

        TenantIndex tenant = tenants.computeIfAbsent(stored.tenant(), t -> new TenantIndex());
        boolean pending = stored.isPendingAt(now);
        if (pending) {
            reservePending(tenant, stored.tenant(), now, maxPendingInTenant);
        }
        Slot slot = new Slot(stored);
        Outcome outcome = new Outcome();
        tenant.byUserCodeHash.compute(stored.userCodeHash(), (hash, holder) -> {
            if (holder != null) {
                DeviceAuthorization held = holder.get();
                if (held != null && !held.isExpired(now)) {
                    outcome.collision = true;
                    return holder;
                }
            }
            if (tenant.byId.putIfAbsent(slot.id, slot) != null) {
                outcome.duplicate = "id";
                return holder;
            }
            if (tenant.byDeviceCodeHash.putIfAbsent(stored.deviceCodeHash(), slot) != null) {
                tenant.byId.remove(slot.id, slot);
                outcome.duplicate = "device-code hash";
                return holder;
            }
            if (pending) {
                tenant.addPending(slot);
            }
            byExpiry.add(slot);
            return slot;
        });
        if (outcome.collision || outcome.duplicate != null) {
            if (pending) {
                tenant.pendingCount.decrementAndGet();
            }
            if (outcome.collision) {
                throw new UserCodeCollisionException(stored.tenant());
            }
            throw new IllegalArgumentException("a device authorization with the same " + outcome.duplicate
                    + " already exists in tenant '" + stored.tenant() + "'");
        }
    }

    /**
     * {@inheritDoc} O(1).
     *
     * @throws NullPointerException an argument is null
     */
    @Override
    public Optional<DeviceAuthorization> findByDeviceCodeHash(String tenant, String deviceCodeHash) {
        TenantIndex index = tenants.get(Objects.requireNonNull(tenant, "tenant"));
        return index == null ? Optional.empty() : read(index.byDeviceCodeHash.get(deviceCodeHash));
    }

    /**
     * {@inheritDoc} O(1).
     *
     * @throws NullPointerException an argument is null
     */
    @Override
    public Optional<DeviceAuthorization> findByUserCodeHash(String tenant, String userCodeHash) {
        TenantIndex index = tenants.get(Objects.requireNonNull(tenant, "tenant"));
        return index == null ? Optional.empty() : read(index.byUserCodeHash.get(userCodeHash));
    }

    /**
     * {@inheritDoc} O(1).
     *
     * @throws NullPointerException an argument is null
     */
    @Override
    public Optional<DeviceAuthorization> findById(String tenant, String id) {
        TenantIndex index = tenants.get(Objects.requireNonNull(tenant, "tenant"));
        return index == null ? Optional.empty() : read(index.byId.get(id));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also when {@code next} changes the stored record's tenant,
     *                                  hashes, client id, creation time or expiry
     * @throws NullPointerException     {@code next} is null
     */
    @Override
    public boolean replace(long expectedVersion, DeviceAuthorization next) {
        Objects.requireNonNull(next, "next");
        if (next.version() <= expectedVersion) {
            throw new IllegalArgumentException("next.version() must be greater than expectedVersion, was "
                    + next.version() + " <= " + expectedVersion);
        }
        TenantIndex tenant = tenants.get(next.tenant());
        Slot slot = tenant == null ? null : tenant.byId.get(next.id());
        DeviceAuthorization current = slot == null ? null : slot.get();
        if (current == null || current.version() != expectedVersion) {
            return false;
        }
        requireSameIdentity(current, next);
        if (!slot.compareAndSet(current, vocabulary.canonical(next))) {
            return false;
        }
        if (current.status() == AuthorizationStatus.PENDING && next.status() != AuthorizationStatus.PENDING) {
            tenant.removePending(slot);
        }
        return true;
    }

    /** {@inheritDoc} Visits only the records it deletes, oldest expiry first. */
    @Override
    public int deleteExpired(Instant expiredBefore, int maxCount) {
        Objects.requireNonNull(expiredBefore, "expiredBefore");
        if (maxCount <= 0) {
            throw new IllegalArgumentException("maxCount must be positive, was " + maxCount);
        }
        return purge(expiredBefore, maxCount);
    }

    /** {@inheritDoc} Reads a counter after trimming expired entries. */
    @Override
    public long countPending(String tenant, Instant now) {
        TenantIndex index = trimmed(tenant, now);
        return index == null ? 0 : Math.max(0, index.pendingCount.get());
    }

    /** {@inheritDoc} Reads a counter after trimming expired entries. */
    @Override
    public long countPending(String tenant, String clientId, Instant now) {
        Objects.requireNonNull(clientId, "clientId");
        TenantIndex index = trimmed(tenant, now);
        return index == null ? 0 : Math.max(0, index.pendingOf(clientId));
    }

    /** Every stored record, in no particular order; for tests and diagnostics. */
    void forEachRecord(Consumer<DeviceAuthorization> action) {
        for (Slot slot : byExpiry) {
            DeviceAuthorization record = slot.get();
            if (record != null) {
                action.accept(record);
            }
        }
    }

    private TenantIndex trimmed(String tenant, Instant now) {
        Objects.requireNonNull(now, "now");
        TenantIndex index = tenants.get(Objects.requireNonNull(tenant, "tenant"));
        if (index != null) {
            index.trimExpiredPending(now);
        }
        return index;
    }

    private static void reservePending(TenantIndex tenant, String tenantId, Instant now, long cap)
            throws PendingLimitExceededException {
        if (cap == Long.MAX_VALUE) {
            tenant.pendingCount.incrementAndGet();
            return;
        }
        while (true) {
            long count = tenant.pendingCount.get();
            if (count >= cap) {
                if (tenant.trimExpiredPending(now) > 0) {
                    continue;
                }
                throw new PendingLimitExceededException(tenantId, cap);
            }
            if (tenant.pendingCount.compareAndSet(count, count + 1)) {
                return;
            }
        }
    }

    private int purge(Instant expiredBefore, int maxCount) {
        int deleted = 0;
        Iterator<Slot> oldestFirst = byExpiry.iterator();
        while (deleted < maxCount && oldestFirst.hasNext()) {
            Slot slot = oldestFirst.next();
            if (!slot.expiresAt.isBefore(expiredBefore)) {
                break;
            }
            if (byExpiry.remove(slot)) {
                delete(slot);
                deleted++;
            }
        }
        return deleted;
    }

    private void delete(Slot slot) {
        DeviceAuthorization last = slot.getAndSet(null);
        TenantIndex tenant = tenants.get(slot.tenant);
        if (last == null || tenant == null) {
            return;
        }
        tenant.removePending(slot);
        tenant.byUserCodeHash.remove(last.userCodeHash(), slot);
        tenant.byDeviceCodeHash.remove(last.deviceCodeHash(), slot);
        tenant.byId.remove(slot.id, slot);
    }

    private static Optional<DeviceAuthorization> read(Slot slot) {
        return slot == null ? Optional.empty() : Optional.ofNullable(slot.get());
    }

    private static void requireSameIdentity(DeviceAuthorization current, DeviceAuthorization next) {
        if (!current.deviceCodeHash().equals(next.deviceCodeHash())
                || !current.userCodeHash().equals(next.userCodeHash())
                || !current.clientId().equals(next.clientId())
                || !current.createdAt().equals(next.createdAt())
                || !current.expiresAt().equals(next.expiresAt())) {
            throw new IllegalArgumentException("replace must keep the hashes, client id, createdAt and expiresAt"
                    + " of device authorization " + current.id());
        }
    }

    /** What the atomic step of {@code create} found; written inside {@code compute}, read after it. */
    private static final class Outcome {
        boolean collision;
        String duplicate;
    }

    /**
     * Settings of an {@link InMemoryDeviceAuthorizationStore}. Each setting may be set once;
     * {@link #build()} checks ranges. Not thread-safe.
     */
    public static final class Builder {
        static final Duration MIN_RETENTION = Duration.ofMinutes(1);
        static final Duration MAX_RETENTION = Duration.ofDays(7);

        private Duration tombstoneRetention = Duration.ofMinutes(10);
        private boolean retentionSet;

        private Builder() {
        }

        /**
         * How long an expired record stays findable (so a late poll learns
         * {@code expired_token}) before a create may delete it. Default 10 minutes; allowed 1
         * minute to 7 days.
         *
         * @throws IllegalStateException already set
         */
        public Builder tombstoneRetention(Duration retention) {
            if (retentionSet) {
                throw new IllegalStateException("tombstoneRetention was already set to " + tombstoneRetention);
            }
            retentionSet = true;
            this.tombstoneRetention = Objects.requireNonNull(retention, "tombstoneRetention");
            return this;
        }

        /**
         * The store.
         *
         * @throws IllegalArgumentException a setting is out of its allowed range
         */
        public InMemoryDeviceAuthorizationStore build() {
            if (tombstoneRetention.compareTo(MIN_RETENTION) < 0 || tombstoneRetention.compareTo(MAX_RETENTION) > 0) {
                throw new IllegalArgumentException("tombstoneRetention must be between " + MIN_RETENTION + " and "
                        + MAX_RETENTION + ", was " + tombstoneRetention);
            }
            return new InMemoryDeviceAuthorizationStore(this);
        }
    }
}
