package org.devicegrant;

import org.devicegrant.code.UserCodeFormat;

import java.time.Duration;

/**
 * Device-grant settings a tenant or a client may set for itself. Every field is optional: null
 * inherits, a client's settings from its tenant's, a tenant's from the grant's. Immutable.
 *
 * @param codeLifetime    {@code expires_in}, 60–3600 s
 * @param pollingInterval {@code interval}, 1–60 whole seconds
 * @param userCodeFormat  the user-code format; one the grant declares (see
 *                        {@code DeviceGrant.Builder#userCodeFormats})
 * @param qrCode          whether the device authorization response carries {@code qr_code}, a PNG
 *                        data URI of {@code verification_uri_complete}
 * @param maxPending      the cap on pending authorizations: of the client, or of the tenant
 */
public record DeviceSettings(Duration codeLifetime, Duration pollingInterval, UserCodeFormat userCodeFormat,
        Boolean qrCode, Long maxPending) {

    public static final Duration MIN_CODE_LIFETIME = Duration.ofSeconds(60);
    public static final Duration MAX_CODE_LIFETIME = Duration.ofSeconds(3600);
    public static final Duration MIN_POLLING_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_POLLING_INTERVAL = Duration.ofSeconds(60);
    public static final long MAX_PENDING_LIMIT = 10_000_000L;

    private static final DeviceSettings INHERIT = new DeviceSettings(null, null, null, null, null);

    public DeviceSettings {
        if (codeLifetime != null) {
            checkRange(codeLifetime, MIN_CODE_LIFETIME, MAX_CODE_LIFETIME, "codeLifetime");
        }
        if (pollingInterval != null) {
            checkRange(pollingInterval, MIN_POLLING_INTERVAL, MAX_POLLING_INTERVAL, "pollingInterval");
            if (pollingInterval.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("pollingInterval must be whole seconds (the interval parameter is "
                        + "in seconds), was " + pollingInterval);
            }
        }
        if (maxPending != null && (maxPending < 1 || maxPending > MAX_PENDING_LIMIT)) {
            throw new IllegalArgumentException("maxPending must be between 1 and " + MAX_PENDING_LIMIT + ", was "
                    + maxPending);
        }
    }

    /** Nothing set: everything inherited. */
    public static DeviceSettings inherit() {
        return INHERIT;
    }

    public DeviceSettings withCodeLifetime(Duration d) {
        return new DeviceSettings(d, pollingInterval, userCodeFormat, qrCode, maxPending);
    }

    public DeviceSettings withPollingInterval(Duration d) {
        return new DeviceSettings(codeLifetime, d, userCodeFormat, qrCode, maxPending);
    }

    public DeviceSettings withUserCodeFormat(UserCodeFormat f) {
        return new DeviceSettings(codeLifetime, pollingInterval, f, qrCode, maxPending);
    }

    public DeviceSettings withQrCode(boolean on) {
        return new DeviceSettings(codeLifetime, pollingInterval, userCodeFormat, on, maxPending);
    }

    public DeviceSettings withMaxPending(long max) {
        return new DeviceSettings(codeLifetime, pollingInterval, userCodeFormat, qrCode, max);
    }

    /** These settings, with every unset field taken from {@code base}. */
    public DeviceSettings over(DeviceSettings base) {
        return new DeviceSettings(
                codeLifetime != null ? codeLifetime : base.codeLifetime,
                pollingInterval != null ? pollingInterval : base.pollingInterval,
                userCodeFormat != null ? userCodeFormat : base.userCodeFormat,
                qrCode != null ? qrCode : base.qrCode,
                maxPending != null ? maxPending : base.maxPending);
    }

    /** Throws naming the setting and its range when {@code value} is outside [min, max]. */
    public static void checkRange(Duration value, Duration min, Duration max, String name) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
