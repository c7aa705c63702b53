package org.devicegrant.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as the device grant sees it, free of any web framework: what an adapter
 * copies out of its own request type in a few lines. Immutable and thread-safe.
 *
 * <p>The body is the raw bytes: parsing, content-type and repeated-parameter checks are
 * protocol decisions and belong to the core, not to adapters. Query-string parameters are
 * deliberately absent: credentials MUST NOT travel in the request URI (RFC 6749 §2.3.1).
 */
public final class DeviceGrantRequest {

    /** The tenant used when a host has no tenants. */
    public static final String DEFAULT_TENANT = "default";

    /**
     * The largest body the endpoints parse; a longer one is answered {@code invalid_request}.
     * An adapter reads at most one byte more than this and passes what it read, so that an
     * oversized body is never buffered whole, whatever its {@code Content-Length} claims;
     * {@link RequestBody#read} reads that way.
     */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final String method;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final String remoteAddress;
    private final String tenant;

    private DeviceGrantRequest(Builder b) {
        this.method = Objects.requireNonNull(b.method, "method").toUpperCase(Locale.ROOT);
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        b.headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = b.body == null ? new byte[0] : b.body;
        this.remoteAddress = b.remoteAddress;
        this.tenant = b.tenant == null ? DEFAULT_TENANT : b.tenant;
    }

    /** A POST of an {@code application/x-www-form-urlencoded} body, as devices send them. */
    public static DeviceGrantRequest form(String urlEncodedBody) {
        return builder().method("POST")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(urlEncodedBody.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    /** A POST of these form parameters, given as name, value, name, value, ...; each is URL-encoded. */
    public static DeviceGrantRequest formOf(String... namesAndValues) {
        return form(formBody(namesAndValues));
    }

    /**
     * An {@code application/x-www-form-urlencoded} body of these parameters, given as name, value,
     * name, value, ...: what a device sends (RFC 6749 Appendix B).
     *
     * @throws IllegalArgumentException an odd number of arguments
     */
    public static String formBody(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("form parameters come in name-value pairs");
        }
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder().method(method).body(body).remoteAddress(remoteAddress).tenant(tenant);
        headers.forEach((name, values) -> values.forEach(v -> b.header(name, v)));
        return b;
    }

    /** The HTTP method, upper case. */
    public String method() {
        return method;
    }

    /** The first value of a header (names are case-insensitive). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every value of a header, in order; empty when absent. */
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** The raw body. The array is not copied: callers must not change it. */
    public byte[] body() {
        return body;
    }

    /** The client's address as the host determined it (from a trusted proxy header only), or null. */
    public String remoteAddress() {
        return remoteAddress;
    }

    /** The tenant the host resolved for this request (path, host name or header). */
    public String tenant() {
        return tenant;
    }

    @Override
    public String toString() {
        // never the body: it carries codes and secrets
        return "DeviceGrantRequest[" + method + ", tenant=" + tenant + ", " + body.length + " bytes]";
    }

    /** Assembles a {@link DeviceGrantRequest}. Not thread-safe. */
    public static final class Builder {
        private String method = "POST";
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private byte[] body;
        private String remoteAddress;
        private String tenant;

        private Builder() {
        }

        public Builder method(String method) { this.method = method; return this; }

        /** Adds one header value; call again for repeated headers. */
        public Builder header(String name, String value) {
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        public Builder body(byte[] body) { this.body = body; return this; }
        public Builder remoteAddress(String remoteAddress) { this.remoteAddress = remoteAddress; return this; }
        public Builder tenant(String tenant) { this.tenant = tenant; return this; }

        public DeviceGrantRequest build() {
            return new DeviceGrantRequest(this);
        }
    }
}
