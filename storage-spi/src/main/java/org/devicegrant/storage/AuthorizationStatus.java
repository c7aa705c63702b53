package org.devicegrant.storage;

/**
 * Where a device authorization stands in its life.
 *
 * <pre>
 * PENDING ──approve──▶ APPROVED ──token poll (compare-and-set)──▶ CONSUMED
 *    └──────deny─────▶ DENIED
 * </pre>
 *
 * <p>Expiry is not a status: a record is expired when the clock reaches its
 * {@link DeviceAuthorization#expiresAt()}, whatever its status, and that is derived at
 * every read, never stored as the truth.
 */
public enum AuthorizationStatus {
    /** Issued; the user has not decided yet. The device gets {@code authorization_pending}. */
    PENDING,
    /** The user approved; the next poll that wins the compare-and-set gets tokens. */
    APPROVED,
    /** The user denied (or the code was revoked); every poll gets {@code access_denied}. */
    DENIED,
    /** Tokens were issued once; every later poll gets {@code invalid_grant}. */
    CONSUMED
}
