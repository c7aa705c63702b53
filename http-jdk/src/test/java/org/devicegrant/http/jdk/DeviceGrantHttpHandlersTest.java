package org.devicegrant.http.jdk;

import com.sun.net.httpserver.HttpServer;
import org.devicegrant.DeviceGrant;
import org.devicegrant.http.TenantResolver;
import org.devicegrant.http.tck.HttpAdapterContract;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

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
    void handlerWhenGrantMissingThenRejectedAtOnce() {
        assertThatThrownBy(() -> DeviceGrantHttpHandlers.token(null, TenantResolver.single()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("grant");
    }
}
