package org.devicegrant;

import org.devicegrant.internal.Setting;
import org.devicegrant.storage.LinkedDeviceStore;

import java.util.Objects;

/**
 * Where the grant calls back into the host. Immutable.
 *
 * <pre>{@code
 * Hooks.defaults().withListener(events).withAccountCheck(accounts).withLinkedDevices(devices, revocations)
 * }</pre>
 *
 * @param listener      told of every {@link DeviceGrantEvent}; default (null):
 *                      {@link DeviceGrantListener#slf4j()}
 * @param accountCheck  asked at redemption whether the approving account may still receive tokens
 *                      (a locked, disabled or deleted account gets none); default (null): every
 *                      account may
 * @param linkedDevices keeps the devices each user linked (an authorization that produced tokens),
 *                      for a "Your devices" page ({@link DeviceGrant#linkedDevices()}); null: off
 * @param revocation    called when the user unlinks a device; set exactly when
 *                      {@code linkedDevices} is
 */
public record Hooks(DeviceGrantListener listener, AccountCheck accountCheck, LinkedDeviceStore linkedDevices,
        DeviceRevocation revocation) {

    private static final Hooks DEFAULTS = new Hooks(null, null, null, null);

    /** @throws InvalidSettingException one of {@code linkedDevices} and {@code revocation} is set without the other */
    public Hooks {
        listener = listener != null ? listener : DeviceGrantListener.slf4j();
        accountCheck = accountCheck != null ? accountCheck : AccountCheck.allowAll();
        Setting.require((linkedDevices == null) == (revocation == null), "linkedDevices",
                "set together with its revocation hook", linkedDevices == null ? "a revocation hook alone"
                        : "a linked-device store alone");
    }

    /** Events logged through slf4j, every account allowed, linked devices off. */
    public static Hooks defaults() {
        return DEFAULTS;
    }

    public Hooks withListener(DeviceGrantListener listener) {
        return new Hooks(Objects.requireNonNull(listener, "listener"), accountCheck, linkedDevices, revocation);
    }

    public Hooks withAccountCheck(AccountCheck check) {
        return new Hooks(listener, Objects.requireNonNull(check, "accountCheck"), linkedDevices, revocation);
    }

    /** Keeps the devices users link in {@code store}; {@code revocation} is called when one is unlinked. */
    public Hooks withLinkedDevices(LinkedDeviceStore store, DeviceRevocation revocation) {
        return new Hooks(listener, accountCheck, Objects.requireNonNull(store, "linkedDevices"),
                Objects.requireNonNull(revocation, "revocation"));
    }
}
