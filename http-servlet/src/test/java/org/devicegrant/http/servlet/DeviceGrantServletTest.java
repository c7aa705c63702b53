package org.devicegrant.http.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.devicegrant.DeviceGrant;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.TenantResolver;
import org.devicegrant.http.tck.HttpAdapterContract;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceGrantServletTest extends HttpAdapterContract {

    @Override
    protected Server start(DeviceGrant grant, TenantResolver tenants) throws Exception {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        for (String path : DEVICE_AUTHORIZATION_PATHS) {
            context.addServlet(new ServletHolder(
                    new DeviceGrantServlet(grant, DeviceGrantServlet.Endpoint.DEVICE_AUTHORIZATION, tenants)), path);
        }
        for (String path : TOKEN_PATHS) {
            context.addServlet(new ServletHolder(
                    new DeviceGrantServlet(grant, DeviceGrantServlet.Endpoint.TOKEN, tenants)), path);
        }
        context.addFilter(new FilterHolder(countingBodyBytes()), "/*",
                EnumSet.of(DispatcherType.REQUEST));
        return JettyServer.start(context);
    }

    @Test
    void toRequestWhenForwardedForSentThenRemoteAddressIsTheTcpPeer() throws Exception {
        AtomicReference<DeviceGrantRequest> seen = new AtomicReference<>();
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                seen.set(DeviceGrantServlet.toRequest(request, "acme"));
                response.setStatus(204);
            }
        }), "/token");
        try (JettyServer jetty = JettyServer.start(context)) {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(jetty.uri("/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("X-Forwarded-For", "203.0.113.9")
                            .POST(HttpRequest.BodyPublishers.ofString("client_id=tv")).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        DeviceGrantRequest request = seen.get();
        // RFC 9700 §4.13 (B10): a spoofable X-Forwarded-For is not the client address
        assertThat(request.remoteAddress()).isEqualTo("127.0.0.1");
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("content-type")).contains("application/x-www-form-urlencoded");
        assertThat(request.tenant()).isEqualTo("acme");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("client_id=tv");
    }

    @Test
    void constructorWhenArgumentMissingThenRejectedAtOnce() {
        assertThatThrownBy(() -> new DeviceGrantServlet(null, DeviceGrantServlet.Endpoint.TOKEN,
                TenantResolver.single())).isInstanceOf(NullPointerException.class).hasMessageContaining("grant");
    }

    /** Passes every request body through the contract's counter. */
    private Filter countingBodyBytes() {
        return (request, response, chain) -> chain.doFilter(
                new HttpServletRequestWrapper((HttpServletRequest) request) {
                    @Override
                    public ServletInputStream getInputStream() throws IOException {
                        ServletInputStream in = super.getInputStream();
                        InputStream counted = countingBodyBytes(in);
                        return new ServletInputStream() {
                            @Override
                            public int read() throws IOException {
                                return counted.read();
                            }

                            @Override
                            public int read(byte[] buffer, int offset, int length) throws IOException {
                                return counted.read(buffer, offset, length);
                            }

                            @Override
                            public boolean isFinished() {
                                return in.isFinished();
                            }

                            @Override
                            public boolean isReady() {
                                return in.isReady();
                            }

                            @Override
                            public void setReadListener(ReadListener listener) {
                                in.setReadListener(listener);
                            }
                        };
                    }
                }, response);
    }

    /** An embedded Jetty on 127.0.0.1 with an ephemeral port. */
    private record JettyServer(org.eclipse.jetty.server.Server server) implements Server {

        static JettyServer start(ServletContextHandler context) throws Exception {
            org.eclipse.jetty.server.Server server = new org.eclipse.jetty.server.Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
            connector.setPort(0);
            server.addConnector(connector);
            server.setHandler(context);
            server.start();
            return new JettyServer(server);
        }

        @Override
        public URI uri(String path) {
            return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + path);
        }

        @Override
        public void close() {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException("Jetty did not stop", e);
            }
        }
    }
}
