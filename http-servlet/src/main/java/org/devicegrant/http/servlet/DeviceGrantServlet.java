package org.devicegrant.http.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.devicegrant.DeviceGrant;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.http.RequestBody;
import org.devicegrant.http.ResponseContent;
import org.devicegrant.http.TenantResolver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Serves one endpoint of a {@link DeviceGrant} from a Jakarta Servlet 6 container. It only
 * parses, calls and renders: every HTTP method reaches the grant, which decides everything
 * (405 for a method other than POST, content type, body size, repeated parameters, client
 * authentication).
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new DeviceGrantServlet(grant,
 *         DeviceGrantServlet.Endpoint.TOKEN, TenantResolver.single())), "/oauth2/token");
 * }</pre>
 *
 * <p><b>Paths.</b> Map the servlet at its endpoint's exact path, as above: a servlet mapping
 * without a wildcard matches that path alone. Under a prefix pattern ({@code /oauth2/token/*}) the
 * servlet serves the prefix itself and answers 404 without a body to every path below it (the
 * request has path info); it cannot tell its path under the default mapping ({@code /}), so do not
 * map it there.
 *
 * <p><b>Tenant.</b> The resolver sees the raw request URI, context path included; a request
 * it finds no tenant for is answered {@link TenantResolver#UNKNOWN_TENANT} with its body unread.
 *
 * <p><b>Client address.</b> The request's remote address is
 * {@link HttpServletRequest#getRemoteAddr()}: the TCP peer, unless the host has configured its
 * container to take it from a proxy header. Do that only for a proxy you run: {@code X-Forwarded-*}
 * headers are never read here, since any client can send them (RFC 9700 §4.13: a reverse proxy
 * sanitizes such headers before the server may trust them).
 *
 * <p><b>Body size.</b> At most {@link DeviceGrantRequest#MAX_BODY_BYTES} + 1 bytes of a body
 * are read ({@link RequestBody#read}), whatever {@code Content-Length} says; a longer body is
 * passed on truncated and the grant answers {@code invalid_request}. The container then discards a little of the rest and
 * closes the connection, so a client that does not read the response while still sending may
 * see the connection closed instead.
 *
 * <p>Thread-safe: one instance serves any number of requests at once.
 */
public final class DeviceGrantServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The endpoint a {@link DeviceGrantServlet} serves. */
    public enum Endpoint {
        /** The device authorization endpoint (RFC 8628 §3.1). */
        DEVICE_AUTHORIZATION,
        /** The token endpoint: the device_code grant (RFC 8628 §3.4) and, with grants kept, refresh_token (RFC 6749 §6). */
        TOKEN,
        /** The token revocation endpoint (RFC 7009 §2). */
        REVOCATION,
        /** The token introspection endpoint (RFC 7662 §2). */
        INTROSPECTION
    }

    private final transient DeviceGrant grant;
    private final Endpoint endpoint;
    private final transient TenantResolver tenants;

    /**
     * @param grant    the grant to call
     * @param endpoint which of its endpoints this servlet serves
     * @param tenants  picks each request's tenant
     * @throws NullPointerException an argument is null
     */
    public DeviceGrantServlet(DeviceGrant grant, Endpoint endpoint, TenantResolver tenants) {
        this.grant = Objects.requireNonNull(grant, "grant");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.tenants = Objects.requireNonNull(tenants, "tenants");
    }

    /**
     * Answers every HTTP method through the grant.
     *
     * @throws IOException reading the request or writing the response failed
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getPathInfo() != null) {
            // mapped by a prefix pattern (/oauth2/token/*): the endpoint is the prefix alone,
            // never a path below it
            write(DeviceGrantResponse.NOT_FOUND, request, response);
            return;
        }
        String tenant = tenants.tenant(request.getRequestURI(), request.getHeader("Host"), request::getHeader);
        if (tenant == null) {
            write(TenantResolver.UNKNOWN_TENANT, request, response);
            return;
        }
        DeviceGrantRequest deviceGrantRequest = toRequest(request, tenant);
        write(switch (endpoint) {
            case DEVICE_AUTHORIZATION -> grant.deviceAuthorization(deviceGrantRequest);
            case TOKEN -> grant.token(deviceGrantRequest);
            case REVOCATION -> grant.revocation(deviceGrantRequest);
            case INTROSPECTION -> grant.introspection(deviceGrantRequest);
        }, request, response);
    }

    /** Method, headers, at most {@link DeviceGrantRequest#MAX_BODY_BYTES} + 1 body bytes, remote address, tenant. */
    static DeviceGrantRequest toRequest(HttpServletRequest request, String tenant) throws IOException {
        DeviceGrantRequest.Builder copy = DeviceGrantRequest.builder()
                .method(request.getMethod())
                .remoteAddress(request.getRemoteAddr())
                .tenant(tenant);
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                copy.header(name, value);
            }
        }
        try (InputStream body = request.getInputStream()) {
            copy.body(RequestBody.read(body));
        }
        return copy.build();
    }

    private static void write(DeviceGrantResponse grantResponse, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        response.setStatus(grantResponse.status());
        for (Map.Entry<String, List<String>> header : grantResponse.headers().entrySet()) {
            for (String value : header.getValue()) {
                response.addHeader(header.getKey(), value);
            }
        }
        byte[] body = grantResponse.body().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        if (body.length > 0 && ResponseContent.allowed(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }
}
