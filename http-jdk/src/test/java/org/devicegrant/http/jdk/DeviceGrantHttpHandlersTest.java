package org.devicegrant.http.jdk;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceGrantHttpHandlersTest extends HttpAdapterContract {

    @Override
    protected Server start(DeviceGrant grant, TenantResolver tenants) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        for (String path : DEVICE_AUTHORIZATION_PATHS) {
            mount(server, path, DeviceGrantHttpHandlers.deviceAuthorization(grant, tenants));
        }
        for (String path : TOKEN_PATHS) {
            mount(server, path, DeviceGrantHttpHandlers.token(grant, tenants));
        }
        server.start();
        return new Server() {
            @Override
            public URI uri(String path) {
                return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
            }

            @Override
            public void close() {
                server.stop(0);
            }
        };
    }

    @Test
    void toRequestWhenForwardedForSentThenRemoteAddressIsTheTcpPeer() throws Exception {
        AtomicReference<DeviceGrantRequest> seen = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", exchange -> {
            try (exchange) {
                seen.set(DeviceGrantHttpHandlers.toRequest(exchange, TenantResolver.single()));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Forwarded-For", "203.0.113.9")
                    .POST(HttpRequest.BodyPublishers.ofString("client_id=tv")).build(),
                    HttpResponse.BodyHandlers.discarding());
        } finally {
            server.stop(0);
        }
        DeviceGrantRequest request = seen.get();
        // RFC 9700 §4.13 (B10): a spoofable X-Forwarded-For is not the client address
        assertThat(request.remoteAddress()).isEqualTo("127.0.0.1");
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("content-type")).contains("application/x-www-form-urlencoded");
        assertThat(request.tenant()).isEqualTo(DeviceGrantRequest.DEFAULT_TENANT);
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("client_id=tv");
    }

    @Test
    void handlerWhenGrantMissingThenRejectedAtOnce() {
        assertThatThrownBy(() -> DeviceGrantHttpHandlers.token(null, TenantResolver.single()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("grant");
    }

    private void mount(HttpServer server, String path, HttpHandler handler) {
        HttpContext context = server.createContext(path, handler);
        context.getFilters().add(Filter.beforeHandler("counts the body bytes the handler reads",
                exchange -> exchange.setStreams(countingBodyBytes(exchange.getRequestBody()), null)));
    }
}
