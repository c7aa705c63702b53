package org.devicegrant.device;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP answer as an {@link HttpTransport} returns it.
 *
 * @param status  the status code, 100 to 599
 * @param headers the header fields; names as received, looked up case-insensitively by
 *                {@link #firstHeader(String)}
 * @param body    the body decoded as text, empty when there was none
 */
public record HttpResult(int status, Map<String, List<String>> headers, String body) {

    /**
     * @throws IllegalArgumentException if {@code status} is outside 100..599
     * @throws NullPointerException     if {@code headers} or {@code body} is null
     */
    public HttpResult {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be between 100 and 599, was " + status);
        }
        Objects.requireNonNull(body, "body");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        Objects.requireNonNull(headers, "headers").forEach((name, values) -> {
            if (name != null && values != null) {
                copy.put(name, values.stream().filter(Objects::nonNull).toList());
            }
        });
        headers = Map.copyOf(copy);
    }

    /** The first value of header {@code name}, case-insensitive, or {@code null}. */
    public String firstHeader(String name) {
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
                return header.getValue().get(0);
            }
        }
        return null;
    }

    /** Status and body length only: the body may carry codes or tokens. */
    @Override
    public String toString() {
        return "HttpResult[status=" + status + ", body=" + body.length() + " chars]";
    }
}
