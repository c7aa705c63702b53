package org.devicegrant.storage;

/** Where a {@link Grant} stands. A revoked grant never becomes active again. */
public enum GrantStatus {
    /** Its tokens work: refresh tokens refresh, introspection says active. */
    ACTIVE,
    /** Revoked for good (unlink, revocation, a reused refresh token, a replayed device code). */
    REVOKED
}
