package org.devicegrant.http.servlet;

import org.devicegrant.DeviceGrant;
import org.devicegrant.http.TenantResolver;
import org.devicegrant.http.tck.HttpAdapterContract;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

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
    void constructorWhenArgumentMissingThenRejectedAtOnce() {
        assertThatThrownBy(() -> new DeviceGrantServlet(null, DeviceGrantServlet.Endpoint.TOKEN,
                TenantResolver.single())).isInstanceOf(NullPointerException.class).hasMessageContaining("grant");
    }
}
