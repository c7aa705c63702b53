package org.devicegrant.examples;

import org.devicegrant.DeviceRevocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The demo's {@link DeviceRevocation}, called after an Unlink revoked the device's grant (so its
 * refresh token no longer refreshes and introspection calls its access tokens inactive): the demo
 * holds nothing else for a device, so it only records and logs each unlink, where a real host
 * would end what else it keeps for the device, such as sessions. Thread-safe.
 */
final class DemoRevocations implements DeviceRevocation {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRevocations.class);

    /** One unlinked device. */
    record Revocation(String tenant, String subject, String authorizationId) {
        Revocation {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(authorizationId, "authorizationId");
        }
    }

    private final List<Revocation> revoked = new CopyOnWriteArrayList<>();

    @Override
    public void revoke(String tenant, String subject, String authorizationId) {
        revoked.add(new Revocation(tenant, subject, authorizationId));
        LOG.info("device unlinked: tenant {}, subject {}, authorization {}; its grant is revoked",
                tenant, subject, authorizationId);
    }

    /** Every revocation so far, oldest first. */
    List<Revocation> revoked() {
        return List.copyOf(revoked);
    }
}
