package org.devicegrant;

import org.devicegrant.code.UserCodeFormat;

import java.time.Duration;

/**
 * Device-grant settings a tenant or a client may set for itself. Every field is optional: null
 * inherits, a client's settings from its tenant's, a tenant's from the grant's. Immutable.
 *
 * <p>A tenant's or client's {@code pollingInterval} must also leave room for the grant's
 * {@link Polling#tolerance()} (at most half of it), and its pending cap with its user-code format
 * must pass the brute-force estimate; both are checked when a request first meets them.
 *
 * @param codeLifetime    {@code expires_in}, 60–3600 s
 * @param pollingInterval {@code interval}, 1–60 whole seconds
 * @param userCodeFormat  the user-code format; one the grant declares (see
 *                        {@link CodePolicy#additionalFormats()})
 * @param qrCode          whether the device authorization response carries {@code qr_code}, a PNG
 *                        data URI of {@code verification_uri_complete}
 * @param maxPending      the cap on pending authorizations: of the client, or of the tenant;
 *                        1–10,000,000
 * @param refreshIdleLifetime     how long a grant lives without a refresh; 1 hour to 400 days
 *                                (see {@link Issuance#refreshIdleLifetime()})
 * @param refreshAbsoluteLifetime how long a grant lives at most after redemption; 1 hour to 400
 *                                days (see {@link Issuance#refreshAbsoluteLifetime()})
 */
public record DeviceSettings(Duration codeLifetime, Duration pollingInterval, UserCodeFormat userCodeFormat,
        Boolean qrCode, Long maxPending, Duration refreshIdleLifetime, Duration refreshAbsoluteLifetime) {

    private static final DeviceSettings INHERIT = new DeviceSettings(null, null, null, null, null, null, null);

    /**
     * @throws InvalidSettingException a set field is outside the range the grant's own setting
     *                                 has (see {@link CodePolicy} and {@link Polling})
     */
    public DeviceSettings {
        if (codeLifetime != null) {
            CodePolicy.requireCodeLifetime(codeLifetime, "codeLifetime");
        }
        if (pollingInterval != null) {
            Polling.requireInterval(pollingInterval, "pollingInterval");
        }
        if (maxPending != null) {
            CodePolicy.requireMaxPending(maxPending, "maxPending");
        }
        if (refreshIdleLifetime != null) {
            Issuance.requireRefreshLifetime(refreshIdleLifetime, "refreshIdleLifetime");
        }
        if (refreshAbsoluteLifetime != null) {
            Issuance.requireRefreshLifetime(refreshAbsoluteLifetime, "refreshAbsoluteLifetime");
        }
    }

    /** Nothing set: everything inherited. */
    public static DeviceSettings inherit() {
        return INHERIT;
    }

    public DeviceSettings withCodeLifetime(Duration d) {
        return new DeviceSettings(d, pollingInterval, userCodeFormat, qrCode, maxPending,
                refreshIdleLifetime, refreshAbsoluteLifetime);
    }

    public DeviceSettings withPollingInterval(Duration d) {
        return new DeviceSettings(codeLifetime, d, userCodeFormat, qrCode, maxPending,
                refreshIdleLifetime, refreshAbsoluteLifetime);
    }

    public DeviceSettings withUserCodeFormat(UserCodeFormat f) {
        return new DeviceSettings(codeLifetime, pollingInterval, f, qrCode, maxPending,
                refreshIdleLifetime, refreshAbsoluteLifetime);
    }

    public DeviceSettings withQrCode(boolean on) {
        return new DeviceSettings(codeLifetime, pollingInterval, userCodeFormat, on, maxPending,
                refreshIdleLifetime, refreshAbsoluteLifetime);
    }

    public DeviceSettings withMaxPending(long max) {
        return new DeviceSettings(codeLifetime, pollingInterval, userCodeFormat, qrCode, max,
                refreshIdleLifetime, refreshAbsoluteLifetime);
    }

    /** A grant's idle and absolute lifetimes for this tenant or client (each 1 hour to 400 days). */
    public DeviceSettings withRefreshLifetimes(Duration idle, Duration absolute) {
        return new DeviceSettings(codeLifetime, pollingInterval, userCodeFormat, qrCode, maxPending, idle, absolute);
    }

    /** These settings, with every unset field taken from {@code base}. */
    public DeviceSettings over(DeviceSettings base) {
        return new DeviceSettings(
                codeLifetime != null ? codeLifetime : base.codeLifetime,
                pollingInterval != null ? pollingInterval : base.pollingInterval,
                userCodeFormat != null ? userCodeFormat : base.userCodeFormat,
                qrCode != null ? qrCode : base.qrCode,
                maxPending != null ? maxPending : base.maxPending,
                refreshIdleLifetime != null ? refreshIdleLifetime : base.refreshIdleLifetime,
                refreshAbsoluteLifetime != null ? refreshAbsoluteLifetime : base.refreshAbsoluteLifetime);
    }
}
