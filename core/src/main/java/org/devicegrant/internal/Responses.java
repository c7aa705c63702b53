package org.devicegrant.internal;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import org.devicegrant.http.DeviceGrantResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders Nimbus wire types as {@link DeviceGrantResponse}s. */
final class Responses {

    /** Statuses an error keeps; every other error is a 400. */
    private static final java.util.Set<Integer> KEPT_STATUSES = java.util.Set.of(400, 405, 429, 500, 503);

    /** Content type, and never cached: RFC 6749 §5.1 (O10) for codes and tokens, and errors alike. */
    private static final Map<String, List<String>> JSON_HEADERS = Map.of(
            "Content-Type", List.of("application/json;charset=UTF-8"),
            "Cache-Control", List.of("no-store"),
            "Pragma", List.of("no-cache"));

    private Responses() {
    }

    /**
     * The response for a Nimbus HTTP response. Every response of these endpoints carries
     * {@code Cache-Control: no-store} and {@code Pragma: no-cache}: the successes carry codes or
     * tokens (RFC 6749 §5.1, RFC 8628 §3.2 — O10), and errors must not be cached either.
     */
    static DeviceGrantResponse of(HTTPResponse http) {
        Map<String, List<String>> headers = new LinkedHashMap<>(http.getHeaderMap());
        headers.put("Cache-Control", List.of("no-store"));
        headers.put("Pragma", List.of("no-cache"));
        return new DeviceGrantResponse(http.getStatusCode(), headers, http.getBody());
    }

    /** A JSON response with the headers every response of these endpoints carries. */
    static DeviceGrantResponse json(int status, String body) {
        return new DeviceGrantResponse(status, JSON_HEADERS, body);
    }

    /**
     * An RFC 6749 §5.2 error. {@code invalid_client} is 401 with a {@code WWW-Authenticate}
     * header when the client used the Authorization header, else 400 (O12).
     */
    static DeviceGrantResponse error(ErrorObject error, boolean usedAuthorizationHeader) {
        ErrorObject shaped = error;
        if (OAuth2Error.INVALID_CLIENT.getCode().equals(error.getCode())) {
            shaped = error.setHTTPStatusCode(usedAuthorizationHeader ? 401 : 400);
        } else if (!KEPT_STATUSES.contains(error.getHTTPStatusCode())) {
            // RFC 6749 §5.2: "The authorization server responds with an HTTP 400 (Bad Request)
            // status code (unless specified otherwise)"
            shaped = error.setHTTPStatusCode(400);
        }
        DeviceGrantResponse response = json(shaped.getHTTPStatusCode(), Json.object(
                "error", shaped.getCode(),
                "error_description", shaped.getDescription(),
                "error_uri", shaped.getURI() == null ? null : shaped.getURI().toString()));
        if (usedAuthorizationHeader && shaped.getHTTPStatusCode() == 401) {
            // RFC 6749 §5.2: 401 "and include the WWW-Authenticate response header field matching
            // the authentication scheme used by the client"
            response = response.withHeader("WWW-Authenticate", "Basic realm=\"devicegrant\", error=\"invalid_client\"");
        }
        if (shaped.getHTTPStatusCode() == 405) {
            response = response.withHeader("Allow", "POST");
        }
        return response;
    }

    static DeviceGrantResponse error(ErrorObject error) {
        return error(error, false);
    }

    /** {@code server_error} with a fixed description: the cause goes to the log, never the wire. */
    static DeviceGrantResponse serverError() {
        return error(OAuth2Error.SERVER_ERROR.setDescription("The server could not complete the request; try again later")
                .setHTTPStatusCode(500));
    }
}
