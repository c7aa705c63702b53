package org.devicegrant;

import org.devicegrant.storage.LinkedDevice;
import org.devicegrant.storage.LinkedDeviceStore;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The devices each user linked by approving them, for a "Your devices" page: list them, and unlink
 * one, which asks the host to revoke what it produced. Thread-safe. A device is linked when its
 * tokens are issued.
 */
public final class LinkedDevices {

    private final LinkedDeviceStore store;
    private final DeviceRevocation revocation;
    private final Clock clock;

    LinkedDevices(LinkedDeviceStore store, DeviceRevocation revocation, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.revocation = Objects.requireNonNull(revocation, "revocation");
        this.clock = clock;
    }

    /** The devices {@code subject} linked, most recently used first. */
    public List<LinkedDevice> list(String tenant, String subject) {
        return store.list(tenant, subject);
    }

    /**
     * Unlinks a device of {@code subject}: the host's {@link DeviceRevocation} runs first, and only
     * when it succeeds is the device removed.
     *
     * @return false when {@code subject} has no such device (nothing is revoked)
     */
    public boolean unlink(String tenant, String subject, String authorizationId) {
        boolean owned = store.list(tenant, subject).stream().anyMatch(d -> d.authorizationId().equals(authorizationId));
        if (!owned) {
            return false;
        }
        revocation.revoke(tenant, subject, authorizationId);
        return store.unlink(tenant, subject, authorizationId);
    }

    /** Notes that the device of {@code authorizationId} used its tokens now (e.g. on a refresh). */
    public void recordUse(String tenant, String authorizationId) {
        store.recordUse(tenant, authorizationId, clock.instant());
    }

    /** Links the device whose tokens were just issued. */
    void link(LinkedDevice device) {
        store.link(device);
    }
}
