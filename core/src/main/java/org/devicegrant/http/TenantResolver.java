package org.devicegrant.http;

import java.util.Objects;
import java.util.function.Function;

/**
 * Picks the tenant of an incoming request for an HTTP adapter, from what every HTTP stack
 * offers: the raw request path, the {@code Host} header and the other headers. Implementations
 * must be thread-safe and must not read the body.
 *
 * <p>A resolver returns {@code null} when the request names no valid tenant; the adapter then
 * renders {@link #UNKNOWN_TENANT} and never calls the grant, so that a malformed tenant can
 * neither fall back to the default tenant nor reach a store.
 */
@FunctionalInterface
public interface TenantResolver {

    /** What an adapter answers when {@link #tenant} returns {@code null}: 404 without a body. */
    DeviceGrantResponse UNKNOWN_TENANT = DeviceGrantResponse.NOT_FOUND;

    /**
     * The tenant of a request.
     *
     * @param path   the raw (still percent-encoded) request path, including any context path
     * @param host   the {@code Host} header, or null
     * @param header the first value of a request header by case-insensitive name, or null
     * @return the tenant id, or null when the request names no valid tenant
     */
    String tenant(String path, String host, Function<String, String> header);

    /** Every request belongs to {@link DeviceGrantRequest#DEFAULT_TENANT}: for hosts without tenants. */
    static TenantResolver single() {
        return (path, host, header) -> DeviceGrantRequest.DEFAULT_TENANT;
    }

    /**
     * The tenant is the path segment right after {@code prefixBeforeTenant}: with
     * {@code "/orgs/"}, {@code /orgs/acme/oauth2/token} belongs to {@code acme}. A path outside
     * the prefix, or a segment that is not 1 to 64 characters of {@code [a-z0-9-]}, names no
     * tenant.
     *
     * @param prefixBeforeTenant the path up to the tenant segment; starts and ends with {@code /}
     * @throws IllegalArgumentException the prefix does not start and end with {@code /}
     */
    static TenantResolver pathPrefix(String prefixBeforeTenant) {
        Objects.requireNonNull(prefixBeforeTenant, "prefixBeforeTenant");
        if (!prefixBeforeTenant.startsWith("/") || !prefixBeforeTenant.endsWith("/")) {
            throw new IllegalArgumentException(
                    "prefixBeforeTenant must start and end with '/', was " + prefixBeforeTenant);
        }
        return (path, host, header) -> {
            if (path == null || !path.startsWith(prefixBeforeTenant)) {
                return null;
            }
            String rest = path.substring(prefixBeforeTenant.length());
            int slash = rest.indexOf('/');
            return valid(slash < 0 ? rest : rest.substring(0, slash));
        };
    }

    /**
     * The tenant is the value of a request header, e.g. one set by a trusted gateway. A missing
     * header, or a value that is not 1 to 64 characters of {@code [a-z0-9-]}, names no tenant.
     * Only use it when the host strips that header from untrusted requests.
     *
     * @param name the header name
     * @throws IllegalArgumentException the name is empty
     */
    static TenantResolver header(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("header name must not be blank");
        }
        return (path, host, header) -> valid(header.apply(name));
    }

    /** The tenant if it is 1 to 64 characters of {@code [a-z0-9-]}, else null. */
    private static String valid(String tenant) {
        if (tenant == null || tenant.isEmpty() || tenant.length() > 64) {
            return null;
        }
        for (int i = 0; i < tenant.length(); i++) {
            char c = tenant.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return null;
            }
        }
        return tenant;
    }
}
