package org.devicegrant.internal;

import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.GrantStore;

import java.time.Instant;
import java.util.Optional;

/**
 * Revokes a grant by compare-and-set, the one way every revocation goes (the revocation endpoint,
 * unlink): a refresh that changed the grant meanwhile is read again and the revocation retried, so
 * a revocation is never lost to a concurrent rotation. Stateless and thread-safe.
 */
public final class GrantRevocation {

    /** Compare-and-set attempts before giving up: each lost one means another change landed. */
    static final int MAX_ATTEMPTS = 16;

    private GrantRevocation() {
    }

    /**
     * Revokes the grant {@code grantId} of {@code tenant} at {@code now}.
     *
     * @return true when this call revoked it; false when it was revoked already or is gone
     * @throws IllegalStateException the grant kept changing for {@link #MAX_ATTEMPTS} attempts
     * @throws org.devicegrant.storage.StoreUnavailableException the store failed
     */
    public static boolean revoke(GrantStore store, String tenant, String grantId, Instant now) {
        Optional<Grant> found = store.findById(tenant, grantId);
        return found.isPresent() && revoke(store, found.get(), now);
    }

    /**
     * Revokes {@code grant} (as last read) at {@code now}.
     *
     * @return true when this call revoked it; false when it was revoked already or is gone
     * @throws IllegalStateException the grant kept changing for {@link #MAX_ATTEMPTS} attempts
     * @throws org.devicegrant.storage.StoreUnavailableException the store failed
     */
    public static boolean revoke(GrantStore store, Grant grant, Instant now) {
        Grant current = grant;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (current.status() == GrantStatus.REVOKED) {
                return false;
            }
            if (store.replace(current.version(), current.toBuilder().revoked(now).nextVersion().build())) {
                return true;
            }
            Optional<Grant> reread = store.findById(current.tenant(), current.id());
            if (reread.isEmpty()) {
                return false;
            }
            current = reread.get();
        }
        throw new IllegalStateException("grant " + grant.id() + " kept changing; it was not revoked");
    }
}
