package org.devicegrant.http.jdk;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.devicegrant.DeviceGrant;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.TenantResolver;
import org.devicegrant.http.tck.HttpAdapterContract;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceGrantHttpHandlersTest extends HttpAdapterContract {

    @Override
    protected Server start(DeviceGrant grant, TenantResolver tenants) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        DEVICE_AUTHORIZATION_PATHS.forEach(path ->
                server.createContext(path, DeviceGrantHttpHandlers.deviceAuthorization(grant, tenants)));
        TOKEN_PATHS.forEach(path -> server.createContext(path, DeviceGrantHttpHandlers.token(grant, tenants)));
        REVOCATION_PATHS.forEach(path ->
                server.createContext(path, DeviceGrantHttpHandlers.revocation(grant, tenants)));
        INTROSPECTION_PATHS.forEach(path ->
                server.createContext(path, DeviceGrantHttpHandlers.introspection(grant, tenants)));
        server.start();
        return new Server(server.getAddress().getPort(), () -> server.stop(0));
    }

    @Test
    void handlerWhenCalledByTheHostsOwnRoutingThenServesThePathItIsHanded() throws Exception {
        DeviceGrant grant = newGrant();
        HttpHandler token = DeviceGrantHttpHandlers.token(grant, TenantResolver.single());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // the host routes itself from one context: its routing, not the context, decides the path
        server.createContext("/api/", exchange -> {
            if (exchange.getRequestURI().getRawPath().equals("/api/v1/token")) {
                token.handle(exchange);
            } else {
                exchange.sendResponseHeaders(418, -1);
                exchange.close();
            }
        });
        server.createContext("/token", token);
        server.start();
        try {
            assertThat(post(server, "/api/v1/token")).as("routed by the host").isEqualTo(400);
            assertThat(post(server, "/api/v1/tokenX")).as("refused by the host").isEqualTo(418);
            assertThat(post(server, "/token")).as("mounted: its context's path").isEqualTo(400);
            assertThat(post(server, "/token/x")).as("mounted: below its context's path").isEqualTo(404);
            assertThat(post(server, "/%74oken")).as("mounted: another spelling of its path").isEqualTo(404);
        } finally {
            server.stop(0);
        }
    }

    /** POSTs a poll for a device code never issued (the grant answers 400 invalid_grant): the status. */
    private static int post(HttpServer server, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(DeviceGrantRequest.formBody("grant_type",
                        "urn:ietf:params:oauth:grant-type:device_code", "device_code", "never-issued", "client_id", "tv")))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void handlerWhenGrantMissingThenRejectedAtOnce() {
        assertThatThrownBy(() -> DeviceGrantHttpHandlers.token(null, TenantResolver.single()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("grant");
    }
}
