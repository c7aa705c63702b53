package org.devicegrant;

import org.devicegrant.internal.Setting;
import org.devicegrant.storage.LinkedDeviceStore;

import java.util.Objects;

/**
 * Where the grant calls back into the host. Immutable.
 *
 * <pre>{@code
 * Hooks.defaults().withListener(events).withAccountCheck(accounts).withDeviceRevocation(revocations)
 * }</pre>
 *
 * <p><b>Linked devices</b> ({@link DeviceGrant#linkedDevices()}) are the user's active grants when
 * grants are kept ({@link Issuance#withGrants}): unlinking one revokes its grant, then calls
 * {@code revocation}. A host that keeps no grants may keep a separate list instead
 * ({@link #withLinkedDevices}); unlinking then only calls {@code revocation}, which must revoke what
 * the device holds. The two never go together: with grants kept, a linked-device store is refused.
 *
 * @param listener      told of every {@link DeviceGrantEvent}; default (null): a new
 *                      {@link DeviceGrantListener#slf4j()}
 * @param accountCheck  asked at redemption whether the approving account may still receive tokens
 *                      (a locked, disabled or deleted account gets none); default (null): every
 *                      account may
 * @param linkedDevices only for a host that keeps no grants: keeps the devices each user linked (an
 *                      authorization that produced tokens); null: none, or the grants are the list
 * @param revocation    called when the user unlinks a device, after its grant (if grants are kept) was
 *                      revoked; required with {@code linkedDevices}; default (null): nothing more to do
 */
public record Hooks(DeviceGrantListener listener, AccountCheck accountCheck, LinkedDeviceStore linkedDevices,
        DeviceRevocation revocation) {

    /** @throws InvalidSettingException {@code linkedDevices} is set without {@code revocation} */
    public Hooks {
        listener = listener != null ? listener : DeviceGrantListener.slf4j();
        accountCheck = accountCheck != null ? accountCheck : AccountCheck.allowAll();
        Setting.require(linkedDevices == null || revocation != null, "linkedDevices",
                "set together with its revocation hook", "a linked-device store alone");
    }

    /**
     * Events logged through a new {@link DeviceGrantListener#slf4j()} listener, every account
     * allowed, no revocation hook, no linked-device store.
     */
    public static Hooks defaults() {
        return new Hooks(null, null, null, null);
    }

    public Hooks withListener(DeviceGrantListener listener) {
        return new Hooks(Objects.requireNonNull(listener, "listener"), accountCheck, linkedDevices, revocation);
    }

    public Hooks withAccountCheck(AccountCheck check) {
        return new Hooks(listener, Objects.requireNonNull(check, "accountCheck"), linkedDevices, revocation);
    }

    /** Called when the user unlinks a device, after its grant was revoked, to revoke what else the host holds. */
    public Hooks withDeviceRevocation(DeviceRevocation revocation) {
        return new Hooks(listener, accountCheck, linkedDevices, Objects.requireNonNull(revocation, "revocation"));
    }

    /**
     * For a host that keeps no grants: keeps the devices users link in {@code store};
     * {@code revocation} is called when one is unlinked and must revoke what the device holds.
     */
    public Hooks withLinkedDevices(LinkedDeviceStore store, DeviceRevocation revocation) {
        return new Hooks(listener, accountCheck, Objects.requireNonNull(store, "linkedDevices"),
                Objects.requireNonNull(revocation, "revocation"));
    }
}
