package org.devicegrant.internal;

import org.devicegrant.DeviceSettings;
import org.devicegrant.clientauth.RegisteredClient;
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
 * the grant's. Checks at use what can only be known then: that a chosen user-code format is one
 * the grant declares, and that it is strong enough for the tenant's pending cap (REQ-UC-4).
 */
public final class SettingsResolver {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsResolver.class);

    /** The settings of one request. */
    record Effective(Duration codeLifetime, Duration pollingInterval, UserCodeFormat userCodeFormat, boolean qrCode,
            long maxPendingPerClient, long maxPendingPerTenant) {
    }

    private final DeviceSettings defaults;
    private final long maxPendingPerClient;
    private final Function<String, DeviceSettings> tenantSettings;
    private final List<UserCodeFormat> formats;
    private final double failuresPerDay;
    private final double acceptedRiskPerDay;
    private final boolean riskAccepted;
    private final Map<String, Boolean> riskChecked = new ConcurrentHashMap<>();
    private final Effective inherited;

    public SettingsResolver(DeviceSettings defaults, long maxPendingPerClient, Function<String, DeviceSettings> tenantSettings,
            List<UserCodeFormat> formats, double failuresPerDay, double acceptedRiskPerDay, boolean riskAccepted) {
        this.defaults = defaults;
        this.maxPendingPerClient = maxPendingPerClient;
        this.tenantSettings = tenantSettings;
        this.formats = List.copyOf(formats);
        this.failuresPerDay = failuresPerDay;
        this.acceptedRiskPerDay = acceptedRiskPerDay;
        this.riskAccepted = riskAccepted;
        this.inherited = new Effective(defaults.codeLifetime(), defaults.pollingInterval(), defaults.userCodeFormat(),
                defaults.qrCode(), maxPendingPerClient, defaults.maxPending());
    }

    /** Every format a user code may have: the default first. */
    public List<UserCodeFormat> formats() {
        return formats;
    }

    /**
     * @throws IllegalStateException a tenant or client chose an undeclared or too weak format (a
     *                               configuration error: the request gets server_error, logged)
     */
    public Effective resolve(String tenant, RegisteredClient client) {
        DeviceSettings ofTenant = settingsOf(tenant);
        if (ofTenant == DeviceSettings.inherit() && client.deviceSettings() == DeviceSettings.inherit()) {
            return inherited; // the common case: nothing overridden, nothing to check again
        }
        DeviceSettings forTenant = ofTenant.over(defaults);
        DeviceSettings forClient = client.deviceSettings().over(forTenant);
        UserCodeFormat format = forClient.userCodeFormat();
        if (!formats.contains(format)) {
            throw new IllegalStateException("the user-code format " + format.mask() + " of client " + client.clientId()
                    + " is not declared in DeviceGrant.Builder#userCodeFormats");
        }
        long tenantCap = forTenant.maxPending();
        checkRisk(format, tenantCap);
        long clientCap = client.deviceSettings().maxPending() != null ? client.deviceSettings().maxPending()
                : maxPendingPerClient;
        return new Effective(forClient.codeLifetime(), forClient.pollingInterval(), format, forClient.qrCode(),
                clientCap, tenantCap);
    }

    private DeviceSettings settingsOf(String tenant) {
        DeviceSettings s = tenantSettings.apply(tenant);
        return s == null ? DeviceSettings.inherit() : s;
    }

    /** REQ-UC-4 for a format and cap first met at run time; decided once per pair. */
    private void checkRisk(UserCodeFormat format, long maxPending) {
        String key = format.charset() + '|' + format.mask() + '|' + maxPending;
        boolean acceptable = riskChecked.computeIfAbsent(key, k -> {
            BruteForceRisk risk = new BruteForceRisk(format.codeSpace(), maxPending, failuresPerDay);
            if (risk.expectedHitsPerDay() <= acceptedRiskPerDay) {
                return true;
            }
            LOG.warn("user-code format {} with {} pending allowed exceeds the accepted brute-force risk: {}{}",
                    format.mask(), maxPending, risk.describe(), riskAccepted ? " (accepted by configuration)" : "");
            return riskAccepted;
        });
        if (!acceptable) {
            throw new IllegalStateException("user-code format " + format.mask() + " is too weak for a pending cap of "
                    + maxPending + " (REQ-UC-4)");
        }
    }
}
