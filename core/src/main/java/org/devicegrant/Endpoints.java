package org.devicegrant;

import org.devicegrant.internal.IssuerIdentifier;
import org.devicegrant.internal.Setting;

import java.net.URI;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where the grant is served and what its endpoints accept. Immutable; checked when made.
 *
 * <pre>{@code
 * Endpoints.of(URI.create("https://id.example.com"), URI.create("https://id.example.com/device"))
 *         .withTokenEndpoint(URI.create("https://id.example.com/token"))
 * }</pre>
 *
 * @param issuer                      the issuer identifier: https, no query, fragment or user info
 *                                    (RFC 8414 §2; http only for localhost, 127.0.0.1 and [::1])
 * @param verificationUri             the page where users enter the code, short enough to type
 *                                    (RFC 8628 §3.2)
 * @param verificationUriComplete     how {@code verification_uri_complete} is formed from the user
 *                                    code in display form; null: the verification URI with
 *                                    {@code user_code=CODE} added to its query
 * @param deviceAuthorizationEndpoint for metadata and {@code private_key_jwt} audiences; default
 *                                    (null): the issuer + {@code /oauth2/device_authorization}
 * @param tokenEndpoint               for metadata and {@code private_key_jwt} audiences; default
 *                                    (null): the issuer + {@code /oauth2/token}
 * @param acceptJsonBodies            also accept {@code application/json} request bodies: one object
 *                                    of string members, with snake_case or camelCase names
 *                                    ({@code clientId}, {@code deviceCode}, ...), held to the same
 *                                    checks as forms; off by default, since RFC 8628 and RFC 6749
 *                                    specify form encoding
 * @param defaultClientId             the public client to use when a request names no client at all
 *                                    (no {@code client_id}, no credentials); it must exist, and be
 *                                    public, in every tenant that serves such requests; null: off
 * @param revocationEndpoint          for metadata and {@code private_key_jwt} audiences (RFC 7009);
 *                                    default (null): the issuer + {@code /oauth2/revoke}
 * @param introspectionEndpoint       for metadata and {@code private_key_jwt} audiences (RFC 7662);
 *                                    default (null): the issuer + {@code /oauth2/introspect}
 */
public record Endpoints(URI issuer, URI verificationUri, Function<String, URI> verificationUriComplete,
        URI deviceAuthorizationEndpoint, URI tokenEndpoint, boolean acceptJsonBodies, String defaultClientId,
        URI revocationEndpoint, URI introspectionEndpoint) {

    /**
     * @throws InvalidSettingException the issuer is missing or not allowed, or the verification URI
     *                                 is missing
     */
    public Endpoints {
        IssuerIdentifier.check(issuer, "issuer");
        Setting.required(verificationUri, "verificationUri", "the URI of the page where users enter the code");
        deviceAuthorizationEndpoint = deviceAuthorizationEndpoint != null ? deviceAuthorizationEndpoint
                : child(issuer, "oauth2/device_authorization");
        tokenEndpoint = tokenEndpoint != null ? tokenEndpoint : child(issuer, "oauth2/token");
        revocationEndpoint = revocationEndpoint != null ? revocationEndpoint : child(issuer, "oauth2/revoke");
        introspectionEndpoint = introspectionEndpoint != null ? introspectionEndpoint
                : child(issuer, "oauth2/introspect");
    }

    /** The endpoints of {@code issuer}, with users sent to {@code verificationUri}; everything else by default. */
    public static Endpoints of(URI issuer, URI verificationUri) {
        return new Endpoints(issuer, verificationUri, null, null, null, false, null, null, null);
    }

    public Endpoints withVerificationUriComplete(Function<String, URI> fromUserCode) {
        return new Endpoints(issuer, verificationUri, Objects.requireNonNull(fromUserCode, "verificationUriComplete"),
                deviceAuthorizationEndpoint, tokenEndpoint, acceptJsonBodies, defaultClientId, revocationEndpoint,
                introspectionEndpoint);
    }

    public Endpoints withDeviceAuthorizationEndpoint(URI uri) {
        return new Endpoints(issuer, verificationUri, verificationUriComplete,
                Objects.requireNonNull(uri, "deviceAuthorizationEndpoint"), tokenEndpoint, acceptJsonBodies,
                defaultClientId, revocationEndpoint, introspectionEndpoint);
    }

    public Endpoints withTokenEndpoint(URI uri) {
        return new Endpoints(issuer, verificationUri, verificationUriComplete, deviceAuthorizationEndpoint,
                Objects.requireNonNull(uri, "tokenEndpoint"), acceptJsonBodies, defaultClientId, revocationEndpoint,
                introspectionEndpoint);
    }

    /** Also accept {@code application/json} request bodies. */
    public Endpoints withJsonBodies() {
        return new Endpoints(issuer, verificationUri, verificationUriComplete, deviceAuthorizationEndpoint,
                tokenEndpoint, true, defaultClientId, revocationEndpoint, introspectionEndpoint);
    }

    /** Use this public client for requests that name no client at all. */
    public Endpoints withDefaultClientId(String clientId) {
        return new Endpoints(issuer, verificationUri, verificationUriComplete, deviceAuthorizationEndpoint,
                tokenEndpoint, acceptJsonBodies, Objects.requireNonNull(clientId, "defaultClientId"), revocationEndpoint,
                introspectionEndpoint);
    }

    public Endpoints withRevocationEndpoint(URI uri) {
        return new Endpoints(issuer, verificationUri, verificationUriComplete, deviceAuthorizationEndpoint,
                tokenEndpoint, acceptJsonBodies, defaultClientId, Objects.requireNonNull(uri, "revocationEndpoint"),
                introspectionEndpoint);
    }

    public Endpoints withIntrospectionEndpoint(URI uri) {
        return new Endpoints(issuer, verificationUri, verificationUriComplete, deviceAuthorizationEndpoint,
                tokenEndpoint, acceptJsonBodies, defaultClientId, revocationEndpoint,
                Objects.requireNonNull(uri, "introspectionEndpoint"));
    }

    private static URI child(URI base, String path) {
        String s = base.toString();
        return URI.create(s.endsWith("/") ? s + path : s + "/" + path);
    }
}
