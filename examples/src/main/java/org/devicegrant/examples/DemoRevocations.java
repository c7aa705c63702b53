package org.devicegrant.examples;

import org.devicegrant.DeviceRevocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The demo's {@link DeviceRevocation}: the demo's tokens are self-contained JWTs and it issues
 * no refresh tokens, so there is nothing to delete; it records each revocation and logs it, where
 * a real host would revoke the authorization's refresh tokens and sessions. Thread-safe.
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
        LOG.info("device unlinked: tenant {}, subject {}, authorization {}; its tokens are revoked",
                tenant, subject, authorizationId);
    }

    /** Every revocation so far, oldest first. */
    List<Revocation> revoked() {
        return List.copyOf(revoked);
    }
}
