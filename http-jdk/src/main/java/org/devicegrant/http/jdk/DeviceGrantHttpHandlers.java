package org.devicegrant.http.jdk;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.devicegrant.DeviceGrant;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.http.RequestBody;
import org.devicegrant.http.ResponseContent;
import org.devicegrant.http.TenantResolver;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Serves a {@link DeviceGrant} from the JDK's built-in HTTP server ({@code com.sun.net.httpserver}).
 * The handlers only parse, call and render: every protocol decision (method, content type,
 * body size, repeated parameters, client authentication) is the grant's.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
 * server.createContext("/oauth2/device_authorization",
 *         DeviceGrantHttpHandlers.deviceAuthorization(grant, TenantResolver.single()));
 * server.createContext("/oauth2/token", DeviceGrantHttpHandlers.token(grant, TenantResolver.single()));
 * server.createContext("/oauth2/revoke", DeviceGrantHttpHandlers.revocation(grant, TenantResolver.single()));
 * server.createContext("/oauth2/introspect", DeviceGrantHttpHandlers.introspection(grant, TenantResolver.single()));
 * server.setExecutor(Executors.newFixedThreadPool(32));   // see "What the JDK server does not protect against"
 * server.start();
 * }</pre>
 *
 * <p><b>Paths.</b> The JDK server hands a context every request whose path starts with the
 * context's path, so {@code /oauth2/token} would also receive {@code /oauth2/tokenX} and
 * {@code /oauth2/token/extra}. A handler of this class mounted as above serves its context's path
 * exactly, compared as raw bytes (a percent-encoded spelling of it is another path), and answers
 * 404 without a body to every other path the context receives. A handler that your own handler
 * calls, because you route or wrap requests yourself, serves whatever that routing hands it: the
 * routing must then match paths exactly.
 *
 * <p><b>Client address.</b> The request's remote address is the TCP peer,
 * {@link HttpExchange#getRemoteAddress()}. Behind a proxy that is the proxy: a host there must
 * resolve the client IP itself from a header its own proxy sets, using {@link #toRequest} and
 * {@link DeviceGrantRequest#toBuilder()}. {@code X-Forwarded-*} headers are never trusted here,
 * since any client can send them (RFC 9700 §4.13: a reverse proxy sanitizes such headers
 * before the server may trust them).
 *
 * <p><b>Body size.</b> At most {@link DeviceGrantRequest#MAX_BODY_BYTES} + 1 bytes of a body
 * are read ({@link RequestBody#read}), whatever {@code Content-Length} says; a longer body is
 * passed on truncated and the grant answers {@code invalid_request}. After the response the
 * server discards up to {@code sun.net.httpserver.drainAmount} more bytes of it (default 64 KiB)
 * and, if more remain, closes the connection, so a client that does not read the response while
 * still sending may see the connection closed instead.
 *
 * <p><b>What the JDK server does not protect against.</b> {@code com.sun.net.httpserver} has no
 * read timeouts of its own: once a client has sent the first byte of a request, headers or a
 * body that trickle in, or stop, hold a thread for as long as the connection stays open. Without
 * {@link com.sun.net.httpserver.HttpServer#setExecutor} every request is read and handled on the
 * server's single dispatcher thread, so one such client stalls all the others: always set a
 * bounded executor. The server is bounded only by system properties, read once when its classes
 * load. JDK 17 does not document them; the names, units and defaults below are those of JDK
 * 17.0.15's {@code sun.net.httpserver.ServerConfig} (later JDKs document them in the
 * {@code jdk.httpserver} module summary):
 * <ul>
 *   <li>{@code sun.net.httpserver.maxReqTime}: seconds from a request's first byte to the end of
 *       its headers, after which the connection is closed; default unlimited. The body is not
 *       covered by it.</li>
 *   <li>{@code sun.net.httpserver.maxRspTime}: seconds from the end of the request headers until
 *       the response is written, which covers reading the body and the grant's work; default
 *       unlimited.</li>
 *   <li>{@code sun.net.httpserver.idleInterval}: seconds an idle keep-alive connection, or a new
 *       one that has sent nothing, stays open (default 30, checked every
 *       {@code sun.net.httpserver.clockTick} milliseconds, default 10,000).</li>
 *   <li>{@code sun.net.httpserver.maxIdleConnections}: idle connections kept open (default 200).</li>
 *   <li>{@code sun.net.httpserver.maxReqHeaders}: header fields per request (default 200); and in
 *       recent JDK 17 updates {@code sun.net.httpserver.maxReqHeaderSize}, bytes of the header
 *       section (default 393,216).</li>
 *   <li>{@code jdk.httpserver.maxConnections} (recent JDK 17 updates): open connections, active
 *       and idle (default unlimited).</li>
 * </ul>
 * None of these limits the request rate or the connections per client. A production host
 * therefore puts the server behind a reverse proxy or load balancer that enforces header and body
 * timeouts, request size and connection limits, and terminates TLS; and still sets
 * {@code maxReqTime} and {@code maxRspTime}, in case something reaches the server directly.
 *
 * <p>All methods are static and thread-safe; the handlers may serve any number of exchanges at once.
 */
public final class DeviceGrantHttpHandlers {

    private DeviceGrantHttpHandlers() {
    }

    /**
     * A handler for the device authorization endpoint (RFC 8628 §3.1).
     *
     * @param grant   the grant to call
     * @param tenants picks each request's tenant; a request without one gets
     *                {@link TenantResolver#UNKNOWN_TENANT}
     */
    public static HttpHandler deviceAuthorization(DeviceGrant grant, TenantResolver tenants) {
        Objects.requireNonNull(grant, "grant");
        return handler(grant::deviceAuthorization, tenants);
    }

    /**
     * A handler for the token endpoint serving the device_code grant (RFC 8628 §3.4).
     *
     * @param grant   the grant to call
     * @param tenants picks each request's tenant; a request without one gets
     *                {@link TenantResolver#UNKNOWN_TENANT}
     */
    public static HttpHandler token(DeviceGrant grant, TenantResolver tenants) {
        Objects.requireNonNull(grant, "grant");
        return handler(grant::token, tenants);
    }

    /**
     * A handler for the token revocation endpoint (RFC 7009 §2).
     *
     * @param grant   the grant to call
     * @param tenants picks each request's tenant; a request without one gets
     *                {@link TenantResolver#UNKNOWN_TENANT}
     */
    public static HttpHandler revocation(DeviceGrant grant, TenantResolver tenants) {
        Objects.requireNonNull(grant, "grant");
        return handler(grant::revocation, tenants);
    }

    /**
     * A handler for the token introspection endpoint (RFC 7662 §2).
     *
     * @param grant   the grant to call
     * @param tenants picks each request's tenant; a request without one gets
     *                {@link TenantResolver#UNKNOWN_TENANT}
     */
    public static HttpHandler introspection(DeviceGrant grant, TenantResolver tenants) {
        Objects.requireNonNull(grant, "grant");
        return handler(grant::introspection, tenants);
    }

    /**
     * Copies an exchange into a {@link DeviceGrantRequest}: method, headers, at most
     * {@link DeviceGrantRequest#MAX_BODY_BYTES} + 1 body bytes, the TCP peer's address and
     * the tenant. For hosts that route or post-process themselves.
     *
     * @return the request, or {@code null} when {@code tenants} finds no tenant; the body is
     *         then left unread and the caller should {@link #write} {@link TenantResolver#UNKNOWN_TENANT}.
     *         The body stream is left open: closing the exchange (or {@link #write}) discards
     *         the rest of a longer body after the response is sent
     * @throws IOException reading the body failed
     */
    public static DeviceGrantRequest toRequest(HttpExchange exchange, TenantResolver tenants) throws IOException {
        String tenant = tenants.tenant(exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders().getFirst("Host"), exchange.getRequestHeaders()::getFirst);
        if (tenant == null) {
            return null;
        }
        DeviceGrantRequest.Builder request = DeviceGrantRequest.builder()
                .method(exchange.getRequestMethod())
                .remoteAddress(address(exchange.getRemoteAddress()))
                .tenant(tenant);
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(value -> request.header(name, value)));
        // left open: closing it now would make the server discard the rest of a long body before
        // the response is sent; closing the exchange (or the response body) does that afterwards
        request.body(RequestBody.read(exchange.getRequestBody()));
        return request.build();
    }

    /**
     * Sends a response on an exchange: status, every header, the UTF-8 body. Does not close
     * the exchange.
     *
     * @throws IOException writing failed, e.g. the client went away
     */
    public static void write(DeviceGrantResponse response, HttpExchange exchange) throws IOException {
        for (Map.Entry<String, List<String>> header : response.headers().entrySet()) {
            exchange.getResponseHeaders().put(header.getKey(), header.getValue());
        }
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        boolean noBody = body.length == 0 || !ResponseContent.allowed(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static HttpHandler handler(Function<DeviceGrantRequest, DeviceGrantResponse> endpoint,
            TenantResolver tenants) {
        return new EndpointHandler(endpoint, Objects.requireNonNull(tenants, "tenants"));
    }

    /** One endpoint: parse, call, render; at its context's exact path when it is the context's handler. */
    private static final class EndpointHandler implements HttpHandler {

        private final Function<DeviceGrantRequest, DeviceGrantResponse> endpoint;
        private final TenantResolver tenants;

        EndpointHandler(Function<DeviceGrantRequest, DeviceGrantResponse> endpoint, TenantResolver tenants) {
            this.endpoint = endpoint;
            this.tenants = tenants;
        }

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                if (!servesPathOf(exchange)) {
                    write(DeviceGrantResponse.NOT_FOUND, exchange);
                    return;
                }
                DeviceGrantRequest request = toRequest(exchange, tenants);
                write(request == null ? TenantResolver.UNKNOWN_TENANT : endpoint.apply(request), exchange);
            }
        }

        /**
         * A context matches every path that starts with its own ({@code /oauth2/token} matches
         * {@code /oauth2/tokenX} and {@code /oauth2/token/x}); mounted as a context's handler,
         * this endpoint serves that context's path exactly, as its raw bytes. Called by another
         * handler, it serves what the host's routing hands it.
         */
        private boolean servesPathOf(HttpExchange exchange) {
            HttpContext context = exchange.getHttpContext();
            return context.getHandler() != this || context.getPath().equals(exchange.getRequestURI().getRawPath());
        }
    }

    private static String address(InetSocketAddress remote) {
        if (remote == null) {
            return null;
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
