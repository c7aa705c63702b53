package org.devicegrant;

/**
 * The host's last word on the approving account, asked when an approved authorization is
 * redeemed and before any token is made. Between approval and the device's next poll the account
 * may have been locked, disabled or deleted; then no token may be issued.
 *
 * <p>Implementations are thread-safe. An exception counts as an infrastructure fault: the device
 * gets {@code server_error} and the authorization stays redeemable.
 */
@FunctionalInterface
public interface AccountCheck {

    /**
     * True if {@code subject} may still receive tokens for {@code clientId}. False answers the
     * device {@code invalid_grant}; the authorization is spent and no token is issued.
     */
    boolean mayReceiveTokens(String tenant, String subject, String clientId);

    /** Allows every account: for hosts that check elsewhere. */
    static AccountCheck allowAll() {
        return (tenant, subject, clientId) -> true;
    }
}
