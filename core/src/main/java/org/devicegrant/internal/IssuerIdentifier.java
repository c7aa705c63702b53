package org.devicegrant.internal;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * The one check of an issuer identifier, for the grant and for the token issuer alike.
 *
 * <p>RFC 8414 §2: the issuer is "a URL that uses the "https" scheme and has no query or fragment
 * components". Plain http is let through for loopback hosts only, so that a demo runs on a
 * laptop; user info is refused because the issuer is published and compared verbatim.
 */
public final class IssuerIdentifier {

    /** What an issuer may be, as every refusal states it. */
    public static final String ALLOWED = "an https URL with a host and no query, fragment or user info"
            + " (http only for localhost, 127.0.0.1 and [::1])";

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private IssuerIdentifier() {
    }

    /**
     * @return {@code issuer}
     * @throws org.devicegrant.InvalidSettingException naming {@code setting}: {@code issuer} is
     *         null, relative, without a host, not https (nor http on a loopback host), or has a
     *         query, a fragment or user info; the message never repeats user info
     */
    public static URI check(URI issuer, String setting) {
        Setting.required(issuer, setting, ALLOWED);
        if (issuer.getRawUserInfo() != null) {
            Setting.require(false, setting, ALLOWED, "a URL with user info");
        }
        String scheme = issuer.getScheme() == null ? "" : issuer.getScheme().toLowerCase(Locale.ROOT);
        String host = issuer.getHost() == null ? "" : issuer.getHost().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("https") && !host.isEmpty();
        boolean loopback = scheme.equals("http") && LOOPBACK.contains(host);
        Setting.require((secure || loopback) && issuer.getRawQuery() == null && issuer.getRawFragment() == null,
                setting, ALLOWED, issuer);
        return issuer;
    }
}
