package org.devicegrant.internal;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.qr.QrCodes;
import org.devicegrant.token.IssuedTokens;
import org.devicegrant.token.JwtTokenIssuer;

import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one place that writes an endpoint's {@link EndpointResult} as a {@link DeviceGrantResponse}:
 * status, headers and body. Every response carries {@code Cache-Control: no-store} and
 * {@code Pragma: no-cache}: the successes carry codes or tokens (RFC 6749 §5.1, RFC 8628 §3.2), and
 * errors must not be cached either.
 *
 * <p>The answers that never vary are rendered once: most polls get one of them. The device
 * authorization response and the errors are written by {@link Json}; token responses, which are
 * dominated by signing, by Nimbus.
 */
final class ResponseRenderer {

    /** Width and height of the {@code qr_code} PNG. */
    static final int QR_CODE_PIXELS = 256;

    /** Statuses an error keeps; every other error is a 400. */
    private static final Set<Integer> KEPT_STATUSES = Set.of(400, 405, 429, 500, 503);

    private static final Map<String, List<String>> JSON_HEADERS = Map.of(
            "Content-Type", List.of("application/json;charset=UTF-8"),
            "Cache-Control", List.of("no-store"),
            "Pragma", List.of("no-cache"));

    /** The failures whose error never varies, rendered once, found by the identity of their error. */
    private static final Map<ErrorObject, DeviceGrantResponse> FIXED = renderedOnce(
            PollResult.Pending.ERROR,
            PollResult.RacedOut.ERROR,
            PollResult.Denied.ERROR,
            PollResult.Expired.ERROR,
            PollResult.Replayed.ERROR,
            PollResult.UnknownCode.ERROR,
            RefreshResult.INVALID_GRANT,
            PollResult.AccountRefused.ERROR,
            DeviceAuthorizationResult.TooManyPending.CLIENT.error(),
            DeviceAuthorizationResult.TooManyPending.TENANT.error(),
            Rejected.SERVER_ERROR.error());

    private static final DeviceGrantResponse REVOCATION_DONE = new DeviceGrantResponse(200, Map.of(
            "Cache-Control", List.of("no-store"),
            "Pragma", List.of("no-cache")), "");

    /** RFC 7662 §2.2: for a token that is not active, "active" and nothing else. */
    private static final DeviceGrantResponse INACTIVE = new DeviceGrantResponse(200, JSON_HEADERS,
            new TokenIntrospectionSuccessResponse.Builder(false).build().toHTTPResponse().getBody());

    private ResponseRenderer() {
    }

    /** The response for {@code result}. */
    static DeviceGrantResponse render(EndpointResult result) {
        if (result instanceof Failure failure) {
            DeviceGrantResponse fixed = FIXED.get(failure.error());
            if (fixed != null) {
                return fixed;
            }
            return error(failure.error(), result instanceof Rejected rejected && rejected.usedAuthorizationHeader());
        }
        if (result instanceof PollResult.Issued issued) {
            return tokens(issued);
        }
        if (result instanceof RefreshResult.Refreshed refreshed) {
            return tokens(refreshed.issued());
        }
        if (result instanceof DeviceAuthorizationResult.Issued issued) {
            return codes(issued);
        }
        if (result instanceof RevocationResult) {
            // RFC 7009 §2.2: HTTP 200 whether or not anything was revoked; the body is ignored
            return REVOCATION_DONE;
        }
        if (result instanceof IntrospectionResult.Active active) {
            return introspection(active);
        }
        if (result instanceof IntrospectionResult.Inactive) {
            return INACTIVE;
        }
        throw new IllegalArgumentException("no rendering for " + result.getClass().getName());
    }

    /**
     * The HTTP status of an error; the one owner of the {@code invalid_client} shape. RFC 6749 §5.2:
     * "If the client attempted to authenticate via the "Authorization" request header field, the
     * authorization server MUST respond with an HTTP 401 (Unauthorized) status code and include the
     * WWW-Authenticate response header field"; otherwise, and for every other error, "HTTP 400 (Bad
     * Request) status code (unless specified otherwise)": a wrong method (405), an overload (429) and
     * faults of the server (500, 503) keep theirs.
     */
    static int status(ErrorObject error, boolean usedAuthorizationHeader) {
        if (OAuth2Error.INVALID_CLIENT.getCode().equals(error.getCode())) {
            return usedAuthorizationHeader ? 401 : 400;
        }
        return KEPT_STATUSES.contains(error.getHTTPStatusCode()) ? error.getHTTPStatusCode() : 400;
    }

    private static DeviceGrantResponse error(ErrorObject error, boolean usedAuthorizationHeader) {
        int status = status(error, usedAuthorizationHeader);
        DeviceGrantResponse response = new DeviceGrantResponse(status, JSON_HEADERS, Json.object(
                "error", error.getCode(),
                "error_description", error.getDescription(),
                "error_uri", error.getURI() == null ? null : error.getURI().toString()));
        if (status == 401) {
            // the challenge matches the scheme the client used: Basic, the only one it can send in the header
            response = response.withHeader("WWW-Authenticate", "Basic realm=\"devicegrant\", error=\"invalid_client\"");
        }
        if (status == 405) {
            response = response.withHeader("Allow", "POST");
        }
        return response;
    }

    private static DeviceGrantResponse codes(DeviceAuthorizationResult.Issued issued) {
        // RFC 8628 §3.2: device_code, user_code, verification_uri, expires_in REQUIRED;
        // verification_uri_complete and interval OPTIONAL, and we always send both.
        return new DeviceGrantResponse(200, JSON_HEADERS, Json.object(
                "device_code", issued.deviceCode(),
                "user_code", issued.userCode(),
                "verification_uri", issued.verificationUri(),
                "verification_uri_complete", issued.verificationUriComplete(),
                "expires_in", issued.expiresIn().toSeconds(),
                "interval", issued.interval().toSeconds(),
                "qr_code", issued.qrCode() ? "data:image/png;base64," + Base64.getEncoder()
                        .encodeToString(QrCodes.png(issued.verificationUriComplete(), QR_CODE_PIXELS)) : null));
    }

    private static DeviceGrantResponse tokens(PollResult.Issued issued) {
        IssuedTokens tokens = issued.tokens();
        Scope scope = tokens.scope().isEmpty() ? null : new Scope(tokens.scope().toArray(String[]::new));
        long lifetime = tokens.expiresIn().toSeconds();
        // RFC 6749 §5.1: token_type REQUIRED, the type the issuer made (RFC 9449 §5: DPoP for DPoP-bound tokens)
        AccessToken access = AccessTokenType.DPOP.equals(issued.tokenType())
                ? new DPoPAccessToken(tokens.accessToken(), lifetime, scope)
                : new BearerAccessToken(tokens.accessToken(), lifetime, scope);
        RefreshToken refresh = tokens.refreshToken() == null ? null : new RefreshToken(tokens.refreshToken());
        AccessTokenResponse response = tokens.idToken() != null
                ? new OIDCTokenResponse(new OIDCTokens(tokens.idToken(), access, refresh))
                : new AccessTokenResponse(new Tokens(access, refresh));
        HTTPResponse http = response.toHTTPResponse();
        Map<String, List<String>> headers = new LinkedHashMap<>(http.getHeaderMap());
        headers.put("Cache-Control", List.of("no-store"));
        headers.put("Pragma", List.of("no-cache"));
        return new DeviceGrantResponse(http.getStatusCode(), headers, http.getBody());
    }

    private static DeviceGrantResponse introspection(IntrospectionResult.Active active) {
        // RFC 7662 §2.2: active REQUIRED; scope, client_id, token_type, exp, iat, sub, iss OPTIONAL
        TokenIntrospectionSuccessResponse.Builder response = new TokenIntrospectionSuccessResponse.Builder(true)
                .issuer(new Issuer(active.issuer()))
                .subject(new Subject(active.subject()))
                .clientID(new ClientID(active.clientId()))
                .issueTime(Date.from(active.issuedAt()))
                .expirationTime(Date.from(active.expiresAt()));
        if (!active.scope().isEmpty()) {
            response.scope(new Scope(new TreeSet<>(active.scope()).toArray(String[]::new)));
        }
        if (active.tokenType() != null) {
            response.tokenType(new AccessTokenType(active.tokenType()));
        }
        if (active.grantId() != null) {
            response.parameter(JwtTokenIssuer.GRANT_ID_CLAIM, active.grantId());
        }
        return new DeviceGrantResponse(200, JSON_HEADERS, response.build().toHTTPResponse().getBody());
    }

    private static Map<ErrorObject, DeviceGrantResponse> renderedOnce(ErrorObject... errors) {
        Map<ErrorObject, DeviceGrantResponse> rendered = new IdentityHashMap<>();
        for (ErrorObject error : errors) {
            rendered.put(error, error(error, false));
        }
        return Collections.unmodifiableMap(rendered);
    }
}
