package org.devicegrant.device;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Sends one form {@code POST} for {@link DeviceFlowClient}. The default sends it with the JDK's
 * {@link java.net.http.HttpClient} and timeouts; applications plug in their own HTTP stack
 * (proxies, TLS settings, mutual TLS) by implementing this.
 *
 * <p>Implementations must be thread-safe if one client is used from several threads, must not
 * follow redirects (RFC 6749 §3.2 endpoints answer directly), and must not log the body or the
 * {@code Authorization} header: they carry codes, secrets and tokens.
 */
@FunctionalInterface
public interface HttpTransport {

    /**
     * Posts {@code formBody} to {@code uri} and returns the answer, whatever its status.
     *
     * @param uri      the endpoint
     * @param headers  request headers, among them {@code Content-Type} and {@code Accept}, and
     *                 {@code Authorization} for a confidential client
     * @param formBody the {@code application/x-www-form-urlencoded} body, UTF-8
     * @return the status, headers and body of the answer
     * @throws IOException when no answer arrived: connection refused or reset, or a timeout
     *                     ({@link java.net.http.HttpTimeoutException}). While polling the client
     *                     backs off and retries (RFC 8628 §3.5).
     */
    HttpResult post(URI uri, Map<String, String> headers, String formBody) throws IOException;
}
