package org.devicegrant.http;

import java.util.Objects;

/**
 * Whether an adapter sends the body of a {@link DeviceGrantResponse}. The grant answers every
 * method (a HEAD request gets the same status and headers as a GET); the adapter writes the body
 * unless the request was HEAD. Status and headers are sent either way.
 *
 * <pre>{@code
 * if (body.length > 0 && ResponseContent.allowed(request.getMethod())) {
 *     response.getOutputStream().write(body);
 * }
 * }</pre>
 */
public final class ResponseContent {

    private ResponseContent() {
    }

    /**
     * Whether the response to a request with this method carries content.
     *
     * @param requestMethod the request's HTTP method, in any case
     * @return false for {@code HEAD}, true for every other method
     */
    public static boolean allowed(String requestMethod) {
        Objects.requireNonNull(requestMethod, "requestMethod");
        // RFC 9110 §9.3.2: the server MUST NOT send content in the response to HEAD
        return !"HEAD".equalsIgnoreCase(requestMethod);
    }
}
