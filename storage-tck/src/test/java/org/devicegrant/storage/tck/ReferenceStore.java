package org.devicegrant.storage.tck;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.PendingLimitExceededException;
import org.devicegrant.storage.UserCodeCollisionException;

/**
 * The simplest store that keeps the contract: hash maps behind one lock. The kit's own tests run
 * the contract against it (it must pass) and against subclasses that break one rule each (they
 * must fail). Not final, for those subclasses.
 */
class ReferenceStore implements DeviceAuthorizationStore {

    record Key(String tenant, String value) {
    }

    private final Map<Key, DeviceAuthorization> byId = new HashMap<>();
    private final Map<Key, String> idByDeviceCodeHash = new HashMap<>();
    private final Map<Key, String> idByUserCodeHash = new HashMap<>();

    @Override
    public synchronized void create(DeviceAuthorization authorization, Instant now, long maxPendingInTenant)
            throws UserCodeCollisionException, PendingLimitExceededException {
        if (maxPendingInTenant < 1) {
            throw new IllegalArgumentException("maxPendingInTenant must be at least 1");
        }
        String tenant = authorization.tenant();
        if (byId.containsKey(new Key(tenant, authorization.id()))
                || idByDeviceCodeHash.containsKey(new Key(tenant, authorization.deviceCodeHash()))) {
            throw new IllegalArgumentException("duplicate id or device-code hash");
        }
        checkUserCodeFree(authorization, now);
        if (authorization.isPendingAt(now) && pendingTowardCap(tenant, now) >= maxPendingInTenant) {
            throw new PendingLimitExceededException(tenant, maxPendingInTenant);
        }
        put(authorization);
    }

    /** The records the cap counts: those of the tenant that are pending at {@code now}. */
    synchronized long pendingTowardCap(String tenant, Instant now) {
        return countPending(tenant, now);
    }

    /** Throws if an unexpired record of the tenant holds the user code. */
    synchronized void checkUserCodeFree(DeviceAuthorization authorization, Instant now)
            throws UserCodeCollisionException {
        Optional<DeviceAuthorization> holder = findByUserCodeHash(authorization.tenant(), authorization.userCodeHash());
        if (holder.isPresent() && !holder.get().isExpired(now)) {
            throw new UserCodeCollisionException(authorization.tenant());
        }
    }

    /** Stores {@code record} unconditionally and points every index at it. */
    synchronized void put(DeviceAuthorization record) {
        byId.put(new Key(record.tenant(), record.id()), record);
        idByDeviceCodeHash.put(new Key(record.tenant(), record.deviceCodeHash()), record.id());
        idByUserCodeHash.put(new Key(record.tenant(), record.userCodeHash()), record.id());
    }

    /** Every record, any tenant. */
    synchronized List<DeviceAuthorization> all() {
        return new ArrayList<>(byId.values());
    }

    @Override
    public synchronized Optional<DeviceAuthorization> findByDeviceCodeHash(String tenant, String deviceCodeHash) {
        return lookup(tenant, idByDeviceCodeHash.get(new Key(tenant, deviceCodeHash)));
    }

    @Override
    public synchronized Optional<DeviceAuthorization> findByUserCodeHash(String tenant, String userCodeHash) {
        return lookup(tenant, idByUserCodeHash.get(new Key(tenant, userCodeHash)));
    }

    @Override
    public synchronized Optional<DeviceAuthorization> findById(String tenant, String id) {
        return lookup(tenant, id);
    }

    @Override
    public synchronized boolean replace(long expectedVersion, DeviceAuthorization next) {
        if (next.version() <= expectedVersion) {
            throw new IllegalArgumentException("next.version() must be greater than expectedVersion");
        }
        DeviceAuthorization current = byId.get(new Key(next.tenant(), next.id()));
        if (current == null || current.version() != expectedVersion) {
            return false;
        }
        byId.put(new Key(next.tenant(), next.id()), next);
        return true;
    }

    @Override
    public synchronized int deleteExpired(Instant expiredBefore, int maxCount) {
        if (maxCount <= 0) {
            throw new IllegalArgumentException("maxCount must be positive");
        }
        List<DeviceAuthorization> expired = byId.values().stream()
                .filter(record -> record.expiresAt().isBefore(expiredBefore))
                .sorted(Comparator.comparing(DeviceAuthorization::expiresAt))
                .limit(maxCount)
                .toList();
        for (DeviceAuthorization record : expired) {
            byId.remove(new Key(record.tenant(), record.id()));
            idByDeviceCodeHash.remove(new Key(record.tenant(), record.deviceCodeHash()));
            idByUserCodeHash.remove(new Key(record.tenant(), record.userCodeHash()), record.id());
        }
        return expired.size();
    }

    @Override
    public synchronized long countPending(String tenant, Instant now) {
        return byId.values().stream()
                .filter(record -> record.tenant().equals(tenant) && record.isPendingAt(now))
                .count();
    }

    @Override
    public synchronized long countPending(String tenant, String clientId, Instant now) {
        return byId.values().stream()
                .filter(record -> record.tenant().equals(tenant) && record.clientId().equals(clientId))
                .filter(record -> record.isPendingAt(now))
                .count();
    }

    /** Every record's string form: the whole persisted state. */
    synchronized List<String> dump() {
        List<String> rows = new ArrayList<>();
        byId.forEach((key, record) -> rows.add(key + " -> " + record));
        idByDeviceCodeHash.forEach((key, id) -> rows.add(key + " -> " + id));
        idByUserCodeHash.forEach((key, id) -> rows.add(key + " -> " + id));
        return rows;
    }

    private Optional<DeviceAuthorization> lookup(String tenant, String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(new Key(tenant, id)));
    }
}
