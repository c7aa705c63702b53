package org.devicegrant;

import java.util.Objects;

/**
 * Where the grant calls back into the host. Immutable.
 *
 * <pre>{@code
 * Hooks.defaults().withListener(events).withAccountCheck(accounts).withDeviceRevocation(revocations)
 * }</pre>
 *
 * <p><b>Linked devices</b> ({@link DeviceGrant#linkedDevices()}) are the user's active grants, so
 * they exist only when grants are kept ({@link Issuance#withGrants}): unlinking one revokes its
 * grant, then calls {@code revocation}.
 *
 * @param listener     told of every {@link DeviceGrantEvent}; default (null): a new
 *                     {@link DeviceGrantListener#slf4j()}
 * @param accountCheck asked at redemption whether the approving account may still receive tokens
 *                     (a locked, disabled or deleted account gets none); default (null): every
 *                     account may
 * @param revocation   called when the user unlinks a device, after its grant was revoked, so
 *                     allowed only when grants are kept; default (null): nothing more to do
 */
public record Hooks(DeviceGrantListener listener, AccountCheck accountCheck, DeviceRevocation revocation) {

    public Hooks {
        listener = listener != null ? listener : DeviceGrantListener.slf4j();
        accountCheck = accountCheck != null ? accountCheck : AccountCheck.allowAll();
    }

    /**
     * Events logged through a new {@link DeviceGrantListener#slf4j()} listener, every account
     * allowed, no revocation hook.
     */
    public static Hooks defaults() {
        return new Hooks(null, null, null);
    }

    public Hooks withListener(DeviceGrantListener listener) {
        return new Hooks(Objects.requireNonNull(listener, "listener"), accountCheck, revocation);
    }

    public Hooks withAccountCheck(AccountCheck check) {
        return new Hooks(listener, Objects.requireNonNull(check, "accountCheck"), revocation);
    }

    /**
     * Called when the user unlinks a device, after its grant was revoked, to revoke what else the
     * host holds. Refused at {@link DeviceGrant.Builder#build()} unless grants are kept
     * ({@link Issuance#withGrants}).
     */
    public Hooks withDeviceRevocation(DeviceRevocation revocation) {
        return new Hooks(listener, accountCheck, Objects.requireNonNull(revocation, "revocation"));
    }
}
