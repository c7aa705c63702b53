package org.devicegrant.http.servlet;

import org.devicegrant.DeviceGrant;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.TenantResolver;
import org.devicegrant.http.tck.HttpAdapterContract;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceGrantServletTest extends HttpAdapterContract {

    @Override
    protected Server start(DeviceGrant grant, TenantResolver tenants) throws Exception {
        ServletContextHandler context = new ServletContextHandler();
        DEVICE_AUTHORIZATION_PATHS.forEach(path -> context.addServlet(new ServletHolder(
                new DeviceGrantServlet(grant, DeviceGrantServlet.Endpoint.DEVICE_AUTHORIZATION, tenants)), path));
        TOKEN_PATHS.forEach(path -> context.addServlet(new ServletHolder(
                new DeviceGrantServlet(grant, DeviceGrantServlet.Endpoint.TOKEN, tenants)), path));
        REVOCATION_PATHS.forEach(path -> context.addServlet(new ServletHolder(
                new DeviceGrantServlet(grant, DeviceGrantServlet.Endpoint.REVOCATION, tenants)), path));
        INTROSPECTION_PATHS.forEach(path -> context.addServlet(new ServletHolder(
                new DeviceGrantServlet(grant, DeviceGrantServlet.Endpoint.INTROSPECTION, tenants)), path));
        org.eclipse.jetty.server.Server jetty =
                new org.eclipse.jetty.server.Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        jetty.setHandler(context);
        jetty.start();
        return new Server(((ServerConnector) jetty.getConnectors()[0]).getLocalPort(), jetty::stop);
    }

    @Test
    void serviceWhenMappedByPrefixPatternThenServesThePrefixOnly() throws Exception {
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new DeviceGrantServlet(newGrant(), DeviceGrantServlet.Endpoint.TOKEN,
                TenantResolver.single())), "/oauth2/token/*");
        org.eclipse.jetty.server.Server jetty =
                new org.eclipse.jetty.server.Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        jetty.setHandler(context);
        jetty.start();
        try {
            int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            assertThat(post(port, "/oauth2/token")).as("the prefix itself").isEqualTo(400);
            assertThat(post(port, "/oauth2/token/")).as("below it").isEqualTo(404);
            assertThat(post(port, "/oauth2/token/extra")).as("below it").isEqualTo(404);
        } finally {
            jetty.stop();
        }
    }

    /** POSTs a poll for a device code never issued (the grant answers 400 invalid_grant): the status. */
    private static int post(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(DeviceGrantRequest.formBody("grant_type",
                        "urn:ietf:params:oauth:grant-type:device_code", "device_code", "never-issued", "client_id", "tv")))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void constructorWhenArgumentMissingThenRejectedAtOnce() {
        assertThatThrownBy(() -> new DeviceGrantServlet(null, DeviceGrantServlet.Endpoint.TOKEN,
                TenantResolver.single())).isInstanceOf(NullPointerException.class).hasMessageContaining("grant");
    }
}
