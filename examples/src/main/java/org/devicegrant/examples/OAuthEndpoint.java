package org.devicegrant.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Routes one OAuth endpoint (device authorization or token) of the JDK HTTP server to the
 * device grant: copy the request, call, write the response. A stand-in until the
 * {@code http-jdk} adapter is merged. Thread-safe.
 */
final class OAuthEndpoint implements HttpHandler {

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final String path;
    private final String tenant;
    private final Function<DeviceGrantRequest, DeviceGrantResponse> endpoint;

    OAuthEndpoint(String path, String tenant, Function<DeviceGrantRequest, DeviceGrantResponse> endpoint) {
        this.path = Objects.requireNonNull(path, "path");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!path.equals(exchange.getRequestURI().getPath())) {
            write(exchange, 404, Map.of(), "");
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            write(exchange, 413, Map.of(), "");
            return;
        }
        DeviceGrantRequest.Builder request = DeviceGrantRequest.builder()
                .method(exchange.getRequestMethod())
                .body(body)
                .remoteAddress(exchange.getRemoteAddress().getAddress().getHostAddress())
                .tenant(tenant);
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        DeviceGrantResponse response = endpoint.apply(request.build());
        write(exchange, response.status(), response.headers(), response.body());
    }

    private static void write(HttpExchange exchange, int status, Map<String, List<String>> headers, String body)
            throws IOException {
        headers.forEach((name, values) -> exchange.getResponseHeaders().put(name, List.copyOf(values)));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }
}
