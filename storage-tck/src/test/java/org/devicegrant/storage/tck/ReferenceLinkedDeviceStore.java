package org.devicegrant.storage.tck;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.devicegrant.storage.LinkedDevice;
import org.devicegrant.storage.LinkedDeviceStore;

/**
 * The simplest linked-device store that keeps the contract: one map behind one lock. The kit's
 * own tests run the contract against it (it must pass) and against subclasses that break one rule
 * each (they must fail). Not final, for those subclasses.
 */
class ReferenceLinkedDeviceStore implements LinkedDeviceStore {

    record Key(String tenant, String authorizationId) {
    }

    private final Map<Key, LinkedDevice> devices = new LinkedHashMap<>();

    @Override
    public synchronized void link(LinkedDevice device) {
        devices.putIfAbsent(key(device.tenant(), device.authorizationId()), device);
    }

    @Override
    public synchronized void recordUse(String tenant, String authorizationId, Instant when) {
        devices.computeIfPresent(key(tenant, authorizationId), (k, device) -> device.usedAt(when));
    }

    @Override
    public synchronized List<LinkedDevice> list(String tenant, String subject) {
        return ordered(devices.values().stream()
                .filter(device -> device.tenant().equals(tenant) && device.subject().equals(subject))
                .toList());
    }

    @Override
    public synchronized boolean unlink(String tenant, String subject, String authorizationId) {
        LinkedDevice device = devices.get(key(tenant, authorizationId));
        if (device == null || !device.subject().equals(subject)) {
            return false;
        }
        devices.remove(key(tenant, authorizationId));
        return true;
    }

    /** The map key of a device. */
    Key key(String tenant, String authorizationId) {
        return new Key(tenant, authorizationId);
    }

    /** One subject's devices in list order: most recently used first. */
    List<LinkedDevice> ordered(List<LinkedDevice> ofSubject) {
        return ofSubject.stream().sorted(Comparator.comparing(LinkedDevice::lastUsed).reversed()).toList();
    }

    /** Stores {@code device} unconditionally. */
    synchronized void put(LinkedDevice device) {
        devices.put(key(device.tenant(), device.authorizationId()), device);
    }

    synchronized LinkedDevice get(String tenant, String authorizationId) {
        return devices.get(key(tenant, authorizationId));
    }

    synchronized void remove(String tenant, String authorizationId) {
        devices.remove(key(tenant, authorizationId));
    }
}
