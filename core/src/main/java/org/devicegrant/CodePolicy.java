package org.devicegrant;

import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.internal.Setting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The codes a grant issues and how many may be pending. Immutable; each part is checked when
 * made. Whether the user-code formats are strong enough for the pending caps is decided when the
 * grant is built, since the estimate also needs the attempt limiter's failure budget.
 *
 * <pre>{@code
 * CodePolicy.defaults().withUserCodeFormat(UserCodeFormat.DIGITS).withMaxPendingPerTenant(50)
 * }</pre>
 *
 * @param userCodeFormat         the default user-code format; default {@link UserCodeFormat#BASE20}
 * @param additionalFormats      further formats that tenants or clients may choose
 *                               ({@link DeviceSettings#userCodeFormat()}); the verification page
 *                               accepts a code of any declared format, and each is held to the
 *                               brute-force estimate; default none
 * @param codeLifetime           the lifetime of both codes, {@code expires_in}: 60–3600 s, default 600 s
 * @param deviceCodeBytes        random bytes in a device code: 16–64, default 32
 * @param maxPendingPerClient    the cap on pending authorizations of one client: 1–10,000,000,
 *                               default 100
 * @param maxPendingPerTenant    the cap on pending authorizations of one tenant, the A_max of the
 *                               brute-force estimate: 1–10,000,000, default 1,000
 * @param acceptedRiskPerDay     the accepted expected number of user codes guessed per day, across
 *                               the cluster: in (0, 1], default 0.01
 * @param bruteForceRiskAccepted start even when a format's estimate exceeds
 *                               {@code acceptedRiskPerDay}, logging a warning instead of failing;
 *                               default false
 */
public record CodePolicy(
        UserCodeFormat userCodeFormat,
        List<UserCodeFormat> additionalFormats,
        Duration codeLifetime,
        int deviceCodeBytes,
        long maxPendingPerClient,
        long maxPendingPerTenant,
        double acceptedRiskPerDay,
        boolean bruteForceRiskAccepted) {

    static final Duration MIN_CODE_LIFETIME = Duration.ofSeconds(60);
    static final Duration MAX_CODE_LIFETIME = Duration.ofSeconds(3600);
    static final int MIN_DEVICE_CODE_BYTES = 16;
    static final int MAX_DEVICE_CODE_BYTES = 64;
    static final long MAX_PENDING = 10_000_000L;

    private static final CodePolicy DEFAULTS = new CodePolicy(UserCodeFormat.BASE20, List.of(),
            Duration.ofSeconds(600), 32, 100, 1_000, 0.01, false);

    /**
     * @throws InvalidSettingException naming the part outside its range
     * @throws NullPointerException    a format, the list or the lifetime is null
     */
    public CodePolicy {
        Objects.requireNonNull(userCodeFormat, "userCodeFormat");
        additionalFormats = List.copyOf(additionalFormats);
        requireCodeLifetime(codeLifetime, "codeLifetime");
        // RFC 8628 §5.2: the device code SHOULD have very high entropy; RFC 6749 §10.10: the
        // probability of guessing it MUST be at most 2^-128, so at least 16 random bytes.
        Setting.inRange(deviceCodeBytes, MIN_DEVICE_CODE_BYTES, MAX_DEVICE_CODE_BYTES, "deviceCodeBytes");
        requireMaxPending(maxPendingPerClient, "maxPendingPerClient");
        requireMaxPending(maxPendingPerTenant, "maxPendingPerTenant");
        Setting.require(acceptedRiskPerDay > 0 && acceptedRiskPerDay <= 1, "acceptedRiskPerDay", "in (0, 1]",
                acceptedRiskPerDay);
    }

    /** BASE20 codes living 600 s, 32-byte device codes, 100 pending per client and 1,000 per tenant, risk 0.01. */
    public static CodePolicy defaults() {
        return DEFAULTS;
    }

    public CodePolicy withUserCodeFormat(UserCodeFormat format) {
        return new CodePolicy(format, additionalFormats, codeLifetime, deviceCodeBytes, maxPendingPerClient,
                maxPendingPerTenant, acceptedRiskPerDay, bruteForceRiskAccepted);
    }

    /** These formats, replacing any declared before, besides {@link #userCodeFormat()}. */
    public CodePolicy withAdditionalFormats(UserCodeFormat... formats) {
        return new CodePolicy(userCodeFormat, List.of(formats), codeLifetime, deviceCodeBytes, maxPendingPerClient,
                maxPendingPerTenant, acceptedRiskPerDay, bruteForceRiskAccepted);
    }

    public CodePolicy withCodeLifetime(Duration lifetime) {
        return new CodePolicy(userCodeFormat, additionalFormats, lifetime, deviceCodeBytes, maxPendingPerClient,
                maxPendingPerTenant, acceptedRiskPerDay, bruteForceRiskAccepted);
    }

    public CodePolicy withDeviceCodeBytes(int bytes) {
        return new CodePolicy(userCodeFormat, additionalFormats, codeLifetime, bytes, maxPendingPerClient,
                maxPendingPerTenant, acceptedRiskPerDay, bruteForceRiskAccepted);
    }

    public CodePolicy withMaxPendingPerClient(long max) {
        return new CodePolicy(userCodeFormat, additionalFormats, codeLifetime, deviceCodeBytes, max,
                maxPendingPerTenant, acceptedRiskPerDay, bruteForceRiskAccepted);
    }

    public CodePolicy withMaxPendingPerTenant(long max) {
        return new CodePolicy(userCodeFormat, additionalFormats, codeLifetime, deviceCodeBytes, maxPendingPerClient,
                max, acceptedRiskPerDay, bruteForceRiskAccepted);
    }

    public CodePolicy withAcceptedRiskPerDay(double risk) {
        return new CodePolicy(userCodeFormat, additionalFormats, codeLifetime, deviceCodeBytes, maxPendingPerClient,
                maxPendingPerTenant, risk, bruteForceRiskAccepted);
    }

    /** Start even when the brute-force estimate exceeds the accepted risk, logging a warning instead. */
    public CodePolicy withBruteForceRiskAccepted() {
        return new CodePolicy(userCodeFormat, additionalFormats, codeLifetime, deviceCodeBytes, maxPendingPerClient,
                maxPendingPerTenant, acceptedRiskPerDay, true);
    }

    /** Every format a user code may have: {@link #userCodeFormat()} first, then the others, each once. */
    public List<UserCodeFormat> declaredFormats() {
        List<UserCodeFormat> formats = new ArrayList<>(List.of(userCodeFormat));
        additionalFormats.stream().filter(f -> !formats.contains(f)).forEach(formats::add);
        return List.copyOf(formats);
    }

    /** The one range check of a code lifetime, the grant's or a tenant's or client's. */
    static Duration requireCodeLifetime(Duration lifetime, String setting) {
        return Setting.inRange(lifetime, MIN_CODE_LIFETIME, MAX_CODE_LIFETIME, setting);
    }

    /** The one range check of a pending cap, the grant's or a tenant's or client's. */
    static long requireMaxPending(long max, String setting) {
        return Setting.inRange(max, 1L, MAX_PENDING, setting);
    }
}
