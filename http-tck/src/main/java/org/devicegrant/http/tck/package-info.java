/**
 * The HTTP adapter conformance kit: {@link org.devicegrant.http.tck.HttpAdapterContract}, JUnit
 * Jupiter cases every adapter of a {@link org.devicegrant.DeviceGrant} passes over real HTTP on
 * 127.0.0.1. Add {@code devicegrant-http-tck} as a test dependency of the adapter's module.
 *
 * <p><b>What an adapter author implements.</b> One test class that extends
 * {@code HttpAdapterContract} and implements its one abstract method,
 * {@link org.devicegrant.http.tck.HttpAdapterContract#start start(grant, tenants)}: start the
 * adapter's HTTP server on 127.0.0.1 at an ephemeral port, serving the given grant with the given
 * {@link org.devicegrant.http.TenantResolver}, with the device authorization endpoint at every path
 * of {@code DEVICE_AUTHORIZATION_PATHS}, the token endpoint at every path of {@code TOKEN_PATHS},
 * the revocation endpoint at every path of {@code REVOCATION_PATHS} and the introspection endpoint
 * at every path of {@code INTROSPECTION_PATHS}; return {@code new Server(port, stop)}. The kit
 * builds the grant (in-memory stores that keep grants, a clock it moves, its own clients), sends
 * the requests and checks the answers. For the JDK server:
 *
 * <pre>{@code
 * class DeviceGrantHttpHandlersTest extends HttpAdapterContract {
 *     @Override
 *     protected Server start(DeviceGrant grant, TenantResolver tenants) throws IOException {
 *         HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
 *         DEVICE_AUTHORIZATION_PATHS.forEach(path ->
 *                 server.createContext(path, DeviceGrantHttpHandlers.deviceAuthorization(grant, tenants)));
 *         TOKEN_PATHS.forEach(path -> server.createContext(path, DeviceGrantHttpHandlers.token(grant, tenants)));
 *         REVOCATION_PATHS.forEach(path ->
 *                 server.createContext(path, DeviceGrantHttpHandlers.revocation(grant, tenants)));
 *         INTROSPECTION_PATHS.forEach(path ->
 *                 server.createContext(path, DeviceGrantHttpHandlers.introspection(grant, tenants)));
 *         server.start();
 *         return new Server(server.getAddress().getPort(), () -> server.stop(0));
 *     }
 * }
 * }</pre>
 *
 * <p><b>What the adapter must do to pass.</b> Parse, call, render, and decide nothing: copy the
 * method, every header, the TCP peer's address (never a forwarding header), the tenant its
 * {@code TenantResolver} names and at most {@code MAX_BODY_BYTES + 1} body bytes
 * ({@link org.devicegrant.http.RequestBody#read}) into a
 * {@link org.devicegrant.http.DeviceGrantRequest}; answer {@code TenantResolver.UNKNOWN_TENANT}
 * without calling the grant when the resolver names no tenant; write the
 * {@link org.devicegrant.http.DeviceGrantResponse}'s status, every header and its UTF-8 body,
 * except for HEAD ({@link org.devicegrant.http.ResponseContent#allowed}).
 */
package org.devicegrant.http.tck;
