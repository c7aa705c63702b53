package org.devicegrant;

import org.devicegrant.internal.GrantEvents;
import org.devicegrant.internal.GrantRevocation;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.LinkedDevice;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The devices each user linked by approving them, for a "Your devices" page: list them, and unlink
 * one. Thread-safe. There is one only when grants are kept ({@link Issuance#withGrants}): a linked
 * device is an active grant, the list is the user's active grants, most recently used first, and
 * unlinking revokes the grant by compare-and-set, so that the device's next refresh gets
 * {@code invalid_grant} and introspection of its access tokens says {@code active: false}; the
 * host's {@link DeviceRevocation}, if set, is called after that.
 */
public final class LinkedDevices {

    private final GrantStore grants;
    private final DeviceRevocation revocation;
    private final GrantEvents events;
    private final Clock clock;

    /** The user's active grants in {@code grants}; {@code revocation} may be null. */
    LinkedDevices(GrantStore grants, DeviceRevocation revocation, GrantEvents events, Clock clock) {
        this.grants = Objects.requireNonNull(grants, "grants");
        this.revocation = revocation;
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The devices {@code subject} linked and that may still use their tokens, most recently used first. */
    public List<LinkedDevice> list(String tenant, String subject) {
        return grants.listActive(tenant, subject, clock.instant()).stream().map(LinkedDevices::device).toList();
    }

    /**
     * Unlinks a device of {@code subject}: revokes its grant, then calls the host's
     * {@link DeviceRevocation} (whose failure is passed on; the grant stays revoked).
     *
     * @return false when {@code subject} has no such linked device (nothing is revoked)
     */
    public boolean unlink(String tenant, String subject, String authorizationId) {
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

    private static LinkedDevice device(Grant grant) {
        return new LinkedDevice(grant.tenant(), grant.subject(), grant.id(), grant.clientId(), grant.deviceMetadata(),
                grant.scopes(), grant.createdAt(), grant.lastUsedAt());
    }
}
