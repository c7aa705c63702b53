package org.devicegrant.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP response for an adapter to render as it is: status, headers and a UTF-8 body
 * (JSON for the OAuth endpoints). Immutable and thread-safe. {@code toString} never shows
 * the body, which may carry codes or tokens.
 *
 * @param status  the HTTP status code
 * @param headers header names and their values, in order
 * @param body    the body text; empty for none
 */
public record DeviceGrantResponse(int status, Map<String, List<String>> headers, String body) {

    /**
     * 404 without a body, not cached: what an adapter answers at a path its endpoint is not
     * mounted at, or for a path that names no tenant ({@link TenantResolver#UNKNOWN_TENANT}).
     */
    public static final DeviceGrantResponse NOT_FOUND =
            new DeviceGrantResponse(404, Map.of("Cache-Control", List.of("no-store")), "");

    public DeviceGrantResponse {
        headers = immutable(Objects.requireNonNull(headers, "headers"));
        body = body == null ? "" : body;
    }

    /**
     * An immutable copy; an already immutable map of immutable lists is kept as it is, so that the
     * constant headers of the hot paths are never copied.
     */
    private static Map<String, List<String>> immutable(Map<String, List<String>> headers) {
        boolean immutable = Map.copyOf(headers) == headers;
        for (List<String> values : headers.values()) {
            immutable &= List.copyOf(values) == values;
        }
        if (immutable) {
            return headers;
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }

    /** The first value of a header, matched case-insensitively. */
    public Optional<String> header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0))
                .findFirst();
    }

    /** The body's media type, from {@code Content-Type}, or empty. */
    public Optional<String> contentType() {
        return header("Content-Type");
    }

    @Override
    public String toString() {
        return "DeviceGrantResponse[" + status + ", " + body.length() + " chars]";
    }

    /** A new response with one more header value. */
    public DeviceGrantResponse withHeader(String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        List<String> values = new ArrayList<>(copy.getOrDefault(name, List.of()));
        values.add(value);
        copy.put(name, values);
        return new DeviceGrantResponse(status, copy, body);
    }
}
