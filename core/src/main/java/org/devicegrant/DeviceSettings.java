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
 * @param deviceCodeGrantTypeAlias a tenant setting, off unless set: whether the token endpoint
 *                                 takes {@code grant_type=device_code} as
 *                                 {@code urn:ietf:params:oauth:grant-type:device_code}, in a form or
 *                                 a JSON body ({@code "grantType": "device_code"}), for hosts whose
 *                                 devices were written against products that use the short name.
 *                                 RFC 8628 §3.4 names only the URN, so it is never on by default,
 *                                 and metadata keeps advertising the URN alone. Where it is off the
 *                                 short name is {@code unsupported_grant_type}. A client cannot set
 *                                 it ({@link org.devicegrant.clientauth.OAuthClient} refuses it): the
 *                                 grant type is decided before the client is authenticated
 */
public record DeviceSettings(Duration codeLifetime, Duration pollingInterval, UserCodeFormat userCodeFormat,
        Boolean qrCode, Long maxPending, Duration refreshIdleLifetime, Duration refreshAbsoluteLifetime,
        Boolean deviceCodeGrantTypeAlias) {

    private static final DeviceSettings INHERIT = new DeviceSettings(null, null, null, null, null, null, null, null);

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
                refreshIdleLifetime, refreshAbsoluteLifetime, deviceCodeGrantTypeAlias);
    }

    public DeviceSettings withPollingInterval(Duration d) {
        return new DeviceSettings(codeLifetime, d, userCodeFormat, qrCode, maxPending,
                refreshIdleLifetime, refreshAbsoluteLifetime, deviceCodeGrantTypeAlias);
    }

    public DeviceSettings withUserCodeFormat(UserCodeFormat f) {
        return new DeviceSettings(codeLifetime, pollingInterval, f, qrCode, maxPending,
                refreshIdleLifetime, refreshAbsoluteLifetime, deviceCodeGrantTypeAlias);
    }

    public DeviceSettings withQrCode(boolean on) {
        return new DeviceSettings(codeLifetime, pollingInterval, userCodeFormat, on, maxPending,
                refreshIdleLifetime, refreshAbsoluteLifetime, deviceCodeGrantTypeAlias);
    }

    public DeviceSettings withMaxPending(long max) {
        return new DeviceSettings(codeLifetime, pollingInterval, userCodeFormat, qrCode, max,
                refreshIdleLifetime, refreshAbsoluteLifetime, deviceCodeGrantTypeAlias);
    }

    /** A grant's idle and absolute lifetimes for this tenant or client (each 1 hour to 400 days). */
    public DeviceSettings withRefreshLifetimes(Duration idle, Duration absolute) {
        return new DeviceSettings(codeLifetime, pollingInterval, userCodeFormat, qrCode, maxPending, idle, absolute,
                deviceCodeGrantTypeAlias);
    }

    /**
     * For a tenant: whether {@code grant_type=device_code} stands for
     * {@code urn:ietf:params:oauth:grant-type:device_code} at its token endpoint (see
     * {@link #deviceCodeGrantTypeAlias()}). Off unless a tenant turns it on.
     */
    public DeviceSettings withDeviceCodeGrantTypeAlias(boolean on) {
        return new DeviceSettings(codeLifetime, pollingInterval, userCodeFormat, qrCode, maxPending,
                refreshIdleLifetime, refreshAbsoluteLifetime, on);
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
                refreshAbsoluteLifetime != null ? refreshAbsoluteLifetime : base.refreshAbsoluteLifetime,
                deviceCodeGrantTypeAlias != null ? deviceCodeGrantTypeAlias : base.deviceCodeGrantTypeAlias);
    }
}
