package org.devicegrant;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import org.devicegrant.http.DeviceGrantRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The body parameters of a device-grant POST, checked as RFC 6749 §3.2 asks: form-encoded UTF-8,
 * no parameter repeated, empty values treated as omitted. Immutable.
 */
final class RequestParameters {

    /** Bodies above this size are refused without being parsed. */
    static final int MAX_BODY_BYTES = DeviceGrantRequest.MAX_BODY_BYTES;

    private static final String FORM = "application/x-www-form-urlencoded";

    private final Map<String, String> values;
    private final Map<String, List<String>> asLists;

    private RequestParameters(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
        Map<String, List<String>> lists = new LinkedHashMap<>();
        values.forEach((k, v) -> lists.put(k, List.of(v)));
        this.asLists = Collections.unmodifiableMap(lists);
    }

    /**
     * Parses and checks the request.
     *
     * @throws RequestRejected {@code invalid_request} for a wrong method, content type, size,
     *                         encoding or a repeated parameter
     */
    static RequestParameters of(DeviceGrantRequest request) throws RequestRejected {
        // RFC 6749 §3.2: the client MUST use the HTTP "POST" method (D01, O06)
        if (!"POST".equals(request.method())) {
            throw new RequestRejected(OAuth2Error.INVALID_REQUEST
                    .setDescription("Use the POST method")
                    .setHTTPStatusCode(405));
        }
        String contentType = request.header("Content-Type").orElse("");
        if (!mediaType(contentType).equals(FORM)) {
            throw invalid("The request body must be application/x-www-form-urlencoded");
        }
        if (request.body().length > MAX_BODY_BYTES) {
            throw invalid("The request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        return new RequestParameters(parseForm(new String(request.body(), StandardCharsets.UTF_8)));
    }

    /** A single-valued parameter; empty when absent or empty (RFC 6749 §3.2). */
    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** All parameters, each with its one value, for client authentication. */
    Map<String, List<String>> asMap() {
        return asLists;
    }

    private static Map<String, String> parseForm(String body) throws RequestRejected {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        if (body.isEmpty()) {
            return values;
        }
        for (String pair : body.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            // RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than once." (O07)
            if (seen.contains(name)) {
                throw invalid("The parameter " + printable(name) + " is repeated");
            }
            seen.add(name);
            // RFC 6749 §3.2: "Parameters sent without a value MUST be treated as if they were omitted"
            if (!value.isEmpty()) {
                values.put(name, value);
            }
        }
        return values;
    }

    private static String decode(String part) throws RequestRejected {
        try {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("The request body is not valid form encoding");
        }
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }

    /** A parameter name made safe for error_description (RFC 6749 §5.2 character set). */
    static String printable(String name) {
        StringBuilder sb = new StringBuilder(Math.min(name.length(), 40));
        for (int i = 0; i < name.length() && sb.length() < 40; i++) {
            char c = name.charAt(i);
            sb.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? c : '?');
        }
        return sb.toString();
    }

    static RequestRejected invalid(String description) {
        return new RequestRejected(OAuth2Error.INVALID_REQUEST.setDescription(description));
    }
}
