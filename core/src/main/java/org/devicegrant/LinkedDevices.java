package org.devicegrant;

import org.devicegrant.internal.GrantEvents;
import org.devicegrant.internal.GrantRevocation;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.LinkedDevice;
import org.devicegrant.storage.LinkedDeviceStore;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The devices each user linked by approving them, for a "Your devices" page: list them, and unlink
 * one. Thread-safe.
 *
 * <p>When grants are kept ({@link Issuance#withGrants}), a linked device is an active grant: the list
 * is the user's active grants, most recently used first, and unlinking revokes the grant by
 * compare-and-set, so that the device's next refresh gets {@code invalid_grant} and introspection of
 * its access tokens says {@code active: false}; the host's {@link DeviceRevocation}, if set, is called
 * after that. A host that keeps no grants keeps a separate list ({@link Hooks#withLinkedDevices}); a
 * device is linked there when its tokens are issued, and unlinking calls the host's revocation first
 * and removes the device only when it succeeds.
 */
public final class LinkedDevices {

    private final GrantStore grants;
    private final LinkedDeviceStore store;
    private final DeviceRevocation revocation;
    private final GrantEvents events;
    private final Clock clock;

    private LinkedDevices(GrantStore grants, LinkedDeviceStore store, DeviceRevocation revocation,
            GrantEvents events, Clock clock) {
        this.grants = grants;
        this.store = store;
        this.revocation = revocation;
        this.events = events;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The user's active grants; {@code revocation} may be null. */
    static LinkedDevices ofGrants(GrantStore grants, DeviceRevocation revocation, GrantEvents events, Clock clock) {
        return new LinkedDevices(Objects.requireNonNull(grants, "grants"), null, revocation,
                Objects.requireNonNull(events, "events"), clock);
    }

    /** A separate list, for a host that keeps no grants. */
    static LinkedDevices ofStore(LinkedDeviceStore store, DeviceRevocation revocation, Clock clock) {
        return new LinkedDevices(null, Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(revocation, "revocation"), null, clock);
    }

    /** The devices {@code subject} linked and that may still use their tokens, most recently used first. */
    public List<LinkedDevice> list(String tenant, String subject) {
        if (grants == null) {
            return store.list(tenant, subject);
        }
        return grants.listActive(tenant, subject, clock.instant()).stream().map(LinkedDevices::device).toList();
    }

    /**
     * Unlinks a device of {@code subject}. With grants kept: revokes its grant, then calls the host's
     * {@link DeviceRevocation} (whose failure is passed on; the grant stays revoked). Without: calls the
     * host's revocation, and removes the device only when that succeeds.
     *
     * @return false when {@code subject} has no such linked device (nothing is revoked)
     */
    public boolean unlink(String tenant, String subject, String authorizationId) {
        if (grants == null) {
            boolean owned = store.list(tenant, subject).stream()
                    .anyMatch(d -> d.authorizationId().equals(authorizationId));
            if (!owned) {
                return false;
            }
            revocation.revoke(tenant, subject, authorizationId);
            return store.unlink(tenant, subject, authorizationId);
        }
        Instant now = clock.instant();
        Optional<Grant> grant = grants.findById(tenant, authorizationId)
                .filter(g -> g.subject().equals(subject) && g.isActive(now));
        if (grant.isEmpty() || !GrantRevocation.revoke(grants, grant.get(), now)) {
            return false;
        }
        events.grantRevoked(tenant, grant.get().id(), grant.get().clientId(), now, "unlink");
        if (revocation != null) {
            revocation.revoke(tenant, subject, authorizationId);
        }
        return true;
    }

    /**
     * Notes that the device of {@code authorizationId} used its tokens now, for a host that keeps no
     * grants. With grants kept this does nothing: each refresh records the use in the grant.
     */
    public void recordUse(String tenant, String authorizationId) {
        if (store != null) {
            store.recordUse(tenant, authorizationId, clock.instant());
        }
    }

    private static LinkedDevice device(Grant grant) {
        return new LinkedDevice(grant.tenant(), grant.subject(), grant.id(), grant.clientId(), grant.deviceMetadata(),
                grant.scopes(), grant.createdAt(), grant.lastUsedAt());
    }
}
