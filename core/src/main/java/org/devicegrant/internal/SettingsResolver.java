package org.devicegrant.internal;

import org.devicegrant.CodePolicy;
import org.devicegrant.DeviceSettings;
import org.devicegrant.InvalidSettingException;
import org.devicegrant.Polling;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.code.BruteForceRisk;
import org.devicegrant.code.UserCodeFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The settings in force for one client of one tenant: the client's own, else its tenant's, else
 * the grant's. Owns the checks that combine settings: whether a user-code format is strong enough
 * for a pending cap, and whether the polling tolerance fits a tenant's or client's interval. The
 * grant's own formats are checked when this is made, at build (its interval, by {@link Polling});
 * a tenant's or client's settings when a request first meets them.
 */
final class SettingsResolver {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsResolver.class);

    /** The settings of one request. */
    record Effective(Duration codeLifetime, Duration pollingInterval, UserCodeFormat userCodeFormat, boolean qrCode,
            long maxPendingPerClient, long maxPendingPerTenant) {
    }

    private final DeviceSettings defaults;
    private final long maxPendingPerClient;
    private final Function<String, DeviceSettings> tenantSettings;
    private final List<UserCodeFormat> formats;
    private final PollingPolicy polling;
    private final double failuresPerDay;
    private final double acceptedRiskPerDay;
    private final boolean riskAccepted;
    private final Map<String, Boolean> riskChecked = new ConcurrentHashMap<>();
    private final Effective inherited;
    private final BruteForceRisk bruteForceRisk;

    /**
     * @param failuresPerDay the wrong user-code guesses the attempt limiter lets through per day,
     *                       cluster-wide
     * @throws InvalidSettingException a declared user-code format is too weak for the grant's
     *                                 pending cap per tenant, and that was not accepted
     */
    SettingsResolver(CodePolicy codes, Polling pollingSettings, PollingPolicy polling,
            Function<String, DeviceSettings> tenantSettings, double failuresPerDay) {
        this.defaults = new DeviceSettings(codes.codeLifetime(), pollingSettings.interval(), codes.userCodeFormat(),
                false, codes.maxPendingPerTenant(), null, null, false);
        this.maxPendingPerClient = codes.maxPendingPerClient();
        this.tenantSettings = tenantSettings;
        this.formats = codes.declaredFormats();
        this.polling = polling;
        this.failuresPerDay = failuresPerDay;
        this.acceptedRiskPerDay = codes.acceptedRiskPerDay();
        this.riskAccepted = codes.bruteForceRiskAccepted();
        this.inherited = new Effective(defaults.codeLifetime(), defaults.pollingInterval(), defaults.userCodeFormat(),
                defaults.qrCode(), maxPendingPerClient, defaults.maxPending());
        for (UserCodeFormat format : formats) {
            requireAcceptableRisk(format, codes.maxPendingPerTenant(), "");
        }
        this.bruteForceRisk = new BruteForceRisk(codes.userCodeFormat().codeSpace(), codes.maxPendingPerTenant(),
                failuresPerDay);
    }

    /** Every format a user code may have: the default first. */
    List<UserCodeFormat> formats() {
        return formats;
    }

    /** The brute-force estimate of the default format at the grant's pending cap per tenant. */
    BruteForceRisk bruteForceRisk() {
        return bruteForceRisk;
    }

    /**
     * @throws InvalidSettingException a tenant or client chose an undeclared or too weak format, or
     *                                 an interval the tolerance does not fit (a configuration error:
     *                                 the request gets server_error, logged)
     */
    Effective resolve(String tenant, OAuthClient client) {
        DeviceSettings ofTenant = settingsOf(tenant);
        DeviceSettings ofClient = client.deviceSettings();
        if (ofTenant == DeviceSettings.inherit() && ofClient == DeviceSettings.inherit()) {
            return inherited; // the common case: nothing overridden, nothing to check again
        }
        if (ofTenant.pollingInterval() != null) {
            polling.requireFits(ofTenant.pollingInterval(), "pollingInterval of tenant " + tenant);
        }
        if (ofClient.pollingInterval() != null) {
            polling.requireFits(ofClient.pollingInterval(),
                    "pollingInterval of client " + client.clientId() + " of tenant " + tenant);
        }
        DeviceSettings forTenant = ofTenant.over(defaults);
        DeviceSettings forClient = ofClient.over(forTenant);
        UserCodeFormat format = forClient.userCodeFormat();
        if (!formats.contains(format)) {
            throw new InvalidSettingException("userCodeFormat of client " + client.clientId() + " of tenant " + tenant,
                    "a format the grant declares (CodePolicy#additionalFormats)", format.mask());
        }
        long tenantCap = forTenant.maxPending();
        requireAcceptableRisk(format, tenantCap, " of tenant " + tenant);
        long clientCap = ofClient.maxPending() != null ? ofClient.maxPending() : maxPendingPerClient;
        return new Effective(forClient.codeLifetime(), forClient.pollingInterval(), format, forClient.qrCode(),
                clientCap, tenantCap);
    }

    /**
     * The refresh-token settings a client of a tenant set for itself, else its tenant's; null where
     * neither set one (the grant's {@link org.devicegrant.Issuance} then applies).
     */
    DeviceSettings refreshOverrides(String tenant, OAuthClient client) {
        return client.deviceSettings().over(settingsOf(tenant));
    }

    /**
     * Whether the tenant takes {@code grant_type=device_code} for the device-code URN
     * ({@link DeviceSettings#deviceCodeGrantTypeAlias()}); false unless the tenant turned it on.
     */
    boolean deviceCodeGrantTypeAlias(String tenant) {
        return Boolean.TRUE.equals(settingsOf(tenant).deviceCodeGrantTypeAlias());
    }

    private DeviceSettings settingsOf(String tenant) {
        DeviceSettings s = tenantSettings.apply(tenant);
        return s == null ? DeviceSettings.inherit() : s;
    }

    /**
     * The one decision whether a user-code format is strong enough for a pending cap. RFC 8628
     * §5.1: the user code needs "enough entropy that, when combined with rate limiting and other
     * mitigations, a brute-force attack becomes infeasible". Decided, and an accepted excess logged,
     * once per format and cap.
     *
     * @param where names whose cap it is for the message: empty for the grant's
     * @throws InvalidSettingException naming {@code userCodeFormat}: the estimate exceeds the
     *                                 accepted risk and the excess was not accepted
     */
    private void requireAcceptableRisk(UserCodeFormat format, long maxPending, String where) {
        BruteForceRisk risk = new BruteForceRisk(format.codeSpace(), maxPending, failuresPerDay);
        String key = format.charset() + '|' + format.mask() + '|' + maxPending;
        boolean acceptable = riskChecked.computeIfAbsent(key, k -> {
            if (!risk.exceeds(acceptedRiskPerDay)) {
                return true;
            }
            if (riskAccepted) {
                LOG.warn("user-code format {} with maxPendingPerTenant {}{} exceeds acceptedRiskPerDay {}: {} "
                        + "(accepted by configuration)", format.mask(), maxPending, where, acceptedRiskPerDay,
                        risk.describe());
            }
            return riskAccepted;
        });
        if (!acceptable) {
            throw new InvalidSettingException("userCodeFormat", "a format whose brute-force estimate E_day is at most "
                    + "acceptedRiskPerDay " + acceptedRiskPerDay + " at maxPendingPerTenant " + maxPending + where
                    + " (RFC 8628 §5.1; or use a lower maxPendingPerTenant, a smaller global failure budget in the "
                    + "attempt limiter's policy, or CodePolicy#withBruteForceRiskAccepted)",
                    format.mask() + " with " + risk.describe());
        }
    }
}
