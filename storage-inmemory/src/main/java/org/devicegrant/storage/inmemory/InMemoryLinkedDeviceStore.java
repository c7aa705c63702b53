package org.devicegrant.storage.inmemory;

import org.devicegrant.storage.LinkedDevice;
import org.devicegrant.storage.LinkedDeviceStore;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded {@link LinkedDeviceStore}: per tenant, devices by authorization id and by subject.
 * Thread-safe; every operation is O(1) except {@link #list}, which is O(devices of the subject).
 * Lost on restart, like the in-memory authorization store.
 */
public final class InMemoryLinkedDeviceStore implements LinkedDeviceStore {

    private final Map<String, LinkedDevice> byKey = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Boolean>> idsBySubject = new ConcurrentHashMap<>();

    @Override
    public void link(LinkedDevice device) {
        if (byKey.putIfAbsent(key(device.tenant(), device.authorizationId()), device) == null) {
            idsBySubject.computeIfAbsent(key(device.tenant(), device.subject()), k -> new ConcurrentHashMap<>())
                    .put(device.authorizationId(), Boolean.TRUE);
        }
    }

    @Override
    public void recordUse(String tenant, String authorizationId, Instant when) {
        byKey.computeIfPresent(key(tenant, authorizationId), (k, device) -> device.usedAt(when));
    }

    @Override
    public List<LinkedDevice> list(String tenant, String subject) {
        Map<String, Boolean> ids = idsBySubject.getOrDefault(key(tenant, subject), Map.of());
        return ids.keySet().stream()
                .map(id -> byKey.get(key(tenant, id)))
                .filter(d -> d != null && d.subject().equals(subject))
                .sorted(Comparator.comparing(LinkedDevice::lastUsed).reversed())
                .toList();
    }

    @Override
    public boolean unlink(String tenant, String subject, String authorizationId) {
        boolean[] removed = {false};
        byKey.computeIfPresent(key(tenant, authorizationId), (k, device) -> {
            if (!device.subject().equals(subject)) {
                return device;
            }
            removed[0] = true;
            return null;
        });
        if (removed[0]) {
            Map<String, Boolean> ids = idsBySubject.get(key(tenant, subject));
            if (ids != null) {
                ids.remove(authorizationId);
            }
        }
        return removed[0];
    }

    private static String key(String tenant, String id) {
        return tenant.length() + ":" + tenant + ":" + id;
    }
}
