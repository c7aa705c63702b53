package org.devicegrant.examples;

import org.devicegrant.DeviceSettings;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.http.DeviceGrantRequest;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One tenant of the demo: the default tenant on the un-scoped paths, or an organisation under
 * {@code /orgs/{id}}. Each has its own issuer, signing key, verification pages and codes; all
 * share one store, keyed by tenant. Immutable.
 *
 * @param id                  the tenant id the grant and the store see
 * @param name                the organisation's display name; null for the default tenant
 * @param pathPrefix          {@code ""} for the default tenant, {@code /orgs/{id}} for an organisation
 * @param userCodeFormat      the format of the tenant's user codes
 * @param codeLifetime        {@code expires_in} of the tenant's codes, or null for the grant's default
 * @param maxPendingPerTenant the tenant's cap on pending codes: the A_max of the brute-force bound (RFC 8628 §5.1)
 * @param deviceCodeAlias     whether the tenant's token endpoint takes {@code grant_type=device_code} for the
 *                            device-code URN (an opt-in of the library, off by default)
 */
record DemoTenant(String id, String name, String pathPrefix, UserCodeFormat userCodeFormat, Duration codeLifetime,
        long maxPendingPerTenant, boolean deviceCodeAlias) {

    /**
     * The un-scoped paths: {@code /oauth2/...}, {@code /device}, and the products' paths; takes
     * {@code grant_type=device_code}.
     */
    static final DemoTenant DEFAULT = new DemoTenant(DeviceGrantRequest.DEFAULT_TENANT, null, "",
            UserCodeFormat.BASE20, null, 1_000, true);
    static final DemoTenant ACME = new DemoTenant("acme", "Acme Corporation", "/orgs/acme",
            UserCodeFormat.BASE20, null, 1_000, false);
    /**
     * Nine-digit codes (RFC 8628 §6.1: 10^9 ≈ 2^29.9) valid for 5 minutes. The brute-force bound (RFC 8628 §5.1) limits the
     * pending cap A: E_day = 144,000 · A / 10^9 ≤ 0.01 holds up to A = 69; with 60, E_day = 0.00864.
     */
    static final DemoTenant GLOBEX = new DemoTenant("globex", "Globex Inc.", "/orgs/globex",
            UserCodeFormat.DIGITS, Duration.ofMinutes(5), 60, false);

    static final String ORGS = "/orgs/";

    DemoTenant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(userCodeFormat, "userCodeFormat");
    }

    /** Every tenant of the demo, the default first. */
    static List<DemoTenant> all() {
        return List.of(DEFAULT, ACME, GLOBEX);
    }

    /** True for an organisation, false for the default tenant. */
    boolean isOrganisation() {
        return name != null;
    }

    /** The device authorization endpoint's path. */
    String deviceAuthorizationPath() {
        return isOrganisation() ? pathPrefix + "/api/v1/oauth/device_authorization" : "/oauth2/device_authorization";
    }

    /** The token endpoint's path. */
    String tokenPath() {
        return isOrganisation() ? pathPrefix + "/api/v1/oauth/token" : "/oauth2/token";
    }

    /** The revocation endpoint's path (RFC 7009). */
    String revocationPath() {
        return isOrganisation() ? pathPrefix + "/api/v1/oauth/revoke" : "/oauth2/revoke";
    }

    /** The introspection endpoint's path (RFC 7662). */
    String introspectionPath() {
        return isOrganisation() ? pathPrefix + "/api/v1/oauth/introspect" : "/oauth2/introspect";
    }

    /** The verification page's path; its sub-pages are below it. */
    String verificationPath() {
        return pathPrefix + "/device";
    }

    /** The tenant's settings: user-code format, lifetime and pending cap (its clients inherit them), the alias. */
    DeviceSettings settings() {
        DeviceSettings settings = DeviceSettings.inherit().withUserCodeFormat(userCodeFormat)
                .withMaxPending(maxPendingPerTenant);
        if (deviceCodeAlias) {
            settings = settings.withDeviceCodeGrantTypeAlias(true);
        }
        return codeLifetime == null ? settings : settings.withCodeLifetime(codeLifetime);
    }
}
